// Reference: shared/fixtures/parity/README.md (eval.psnr_ssim).
import OpenSora
import MLXTensor

/// `eval.psnr_ssim`: per-frame PSNR/SSIM, per-timestamp means/stds, and the driver's batch-weighted number.
struct PSNRSSIMRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let call = try f.jsonMetadata("call")
        let real = try f.input("videos1"), generated = try f.input("videos2")
        let b = real.dim(0)
        let batches = call["driver_batches"] as? [Int] ?? [b]
        guard batches.reduce(0, +) == b else { throw ParityError.malformed(f.name, "driver_batches \(batches) do not sum to \(b)") }
        let report = try VideoQuality.evaluate(real: real, generated: generated)
        var psnrLists = [[Double]](), ssimLists = [[Double]](), start = 0
        for size in batches {
            let part = try VideoQuality.evaluate(real: real[start..<(start + size)], generated: generated[start..<(start + size)])
            psnrLists.append(part.psnrValue)
            ssimLists.append(part.ssimValue)
            start += size
        }
        let (t, c) = (real.dim(1), real.dim(2))
        func tensor(_ v: [Double], _ shape: [Int]) -> Tensor { Tensor(doubles: v, shape: shape) }
        return .tensors([
            "psnr_frame": tensor(report.psnrFrame.flatMap { $0 }, [b, t]),
            "ssim_frame": tensor(report.ssimFrame.flatMap { $0 }, [b, t]),
            "ssim_channel": tensor(report.ssimChannel.flatMap { $0.flatMap { $0 } }, [b, t, c]),
            "psnr_value": tensor(report.psnrValue, [t]), "psnr_value_std": tensor(report.psnrStd, [t]),
            "ssim_value": tensor(report.ssimValue, [t]), "ssim_value_std": tensor(report.ssimStd, [t]),
            "psnr_metric": Tensor(Float(VideoQuality.driverMetric(psnrLists))),
            "ssim_metric": Tensor(Float(VideoQuality.driverMetric(ssimLists))),
        ])
    }
}
