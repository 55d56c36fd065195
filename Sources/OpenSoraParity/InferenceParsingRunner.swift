// Reference: shared/fixtures/parity/README.md (inference.parsing).
import OpenSora
import Foundation

/// `inference.parsing`: every helper case must give the reference's result (numbers within 1e-6
/// relative), or fail where the reference raised.
struct InferenceParsingRunner: ParityRunner {
    struct Unsupported: Error { let function: String }

    func run(_ f: ParityFixture) throws -> ParityResult {
        guard let cases = f.json?["cases"] as? [[String: Any]] else { throw ParityError.malformed(f.name, "no cases") }
        var failures = [String]()
        for (i, c) in cases.enumerated() {
            let function = c["function"] as? String ?? "?"
            let args = c["args"] ?? NSNull()
            do {
                let got = try evaluate(function, args)
                if c["error"] != nil {
                    failures.append("case \(i) \(function): expected an error, got \(got)")
                } else if !same(got, c["result"] ?? NSNull()) {
                    failures.append("case \(i) \(function)(\(args)): got \(got), want \(c["result"] ?? "nil")")
                }
            } catch let e as Unsupported {
                failures.append("case \(i): no implementation of \(e.function)")
            } catch {
                if c["error"] == nil { failures.append("case \(i) \(function)(\(args)): unexpected error \(error)") }
            }
        }
        return .checked(maxAbsError: Double(failures.count), passed: failures.isEmpty,
                        detail: failures.isEmpty ? "\(cases.count) cases" : failures.prefix(5).joined(separator: "; "))
    }

    func evaluate(_ function: String, _ args: Any) throws -> Any {
        let list = args as? [Any] ?? [], dict = args as? [String: Any] ?? [:]
        func string(_ i: Int) -> String? { list.indices.contains(i) ? list[i] as? String : nil }
        func int(_ i: Int) -> Int? { list.indices.contains(i) ? (list[i] as? NSNumber)?.intValue : nil }
        func optionalInts(_ v: Any) -> [Int?] { (v as? [Any] ?? []).map { ($0 as? NSNumber)?.intValue } }
        func json(_ v: Int?) -> Any { v.map { $0 as Any } ?? NSNull() }
        switch function {
        case "parse_mask_strategy":
            return try MaskStrategy(parsing: string(0)).conditions.map {
                [$0.loop, $0.referenceIndex, $0.referenceStart, $0.targetStart, $0.length, $0.editRatio] as [Any]
            }
        case "extract_json_from_prompts":
            let prompts = list.first as? [String] ?? []
            var refs = list.count > 1 ? list[1] as? [String] ?? [] : [], masks = list.count > 2 ? list[2] as? [String] ?? [] : []
            var captions = [String]()
            for (i, p) in prompts.enumerated() {
                let e = try PromptText.extractJSON(p)
                captions.append(e.caption)
                if let r = e.referencePath { refs[i] = r }
                if let m = e.maskStrategy { masks[i] = m }
            }
            return [captions, refs, masks]
        case "split_prompt":
            let (texts, loops) = try PromptText.splitLoops(string(0) ?? "")
            return [texts, loops.map { $0 as Any } ?? NSNull()]
        case "merge_prompt":
            return PromptText.mergeLoops(list.first as? [String] ?? [], loops: list.count > 1 ? list[1] as? [Int] : nil)
        case "extract_prompts_loop":
            return try (list.first as? [String] ?? []).map { try PromptText.prompt(forLoop: int(1) ?? 0, of: $0) }
        case "append_score_to_prompts":
            return (dict["prompts"] as? [String] ?? []).map {
                PromptText.appendingScores($0, aesthetic: (dict["aes"] as? NSNumber)?.doubleValue,
                                           motion: (dict["flow"] as? NSNumber)?.doubleValue, cameraMotion: dict["camera_motion"] as? String)
            }
        case "text_preprocessing":
            return PromptCleaner.preprocess(string(0) ?? "")
        case "get_image_size":
            let s = try ResolutionTable.imageSize(resolution: string(0) ?? "", aspectRatio: string(1) ?? "")
            return [s.height, s.width]
        case "get_num_frames":
            if let n = int(0), string(0) == nil { return n }
            return try FrameCount.parse(string(0) ?? "")
        case "get_num_pixels":
            return try ResolutionTable.pixelCount(string(0) ?? "")
        case "get_closest_ratio":
            let h = (list[0] as? NSNumber)?.doubleValue ?? 0, w = (list[1] as? NSNumber)?.doubleValue ?? 1
            return try ResolutionTable.closestRatio(height: h, width: w, resolution: string(2) ?? "")
        case "get_h_w":
            let s = ResolutionTable.heightWidth(ratio: (list[0] as? NSNumber)?.doubleValue ?? 1, pixels: (list[1] as? NSNumber)?.doubleValue ?? 0)
            return [s.height, s.width]
        case "VideoAutoencoderKL.get_latent_size":
            let s = optionalInts(list.first ?? [])
            return s.enumerated().map { i, v in json(v.map { i == 0 ? $0 : VideoVAEConfig.v1_2.spatial.latentSide($0) }) }
        case "VAE_Temporal.get_latent_size":
            let s = optionalInts(list.first ?? [])
            return s.enumerated().map { i, v in json(v.map { i == 0 ? TemporalVAEConfig.sd.latentFrames($0) : $0 }) }
        case "VideoAutoencoderPipeline.get_latent_size":
            let s = optionalInts(list.first ?? [])
            return s.enumerated().map { i, v in json(v.map { i == 0 ? VideoVAEConfig.v1_2.latentFrames($0) : VideoVAEConfig.v1_2.spatial.latentSide($0) }) }
        case "find_nearest_point":
            return MaskStrategy.snap(int(0) ?? 0, to: int(1) ?? 1, max: int(2) ?? 0)
        case "dframe_to_frame":
            return try FrameCount.pixelFrames(forLatent: int(0) ?? 0)
        case "get_save_path_name":
            return OutputNaming.path(saveDirectory: dict["save_dir"] as? String ?? "", sampleName: dict["sample_name"] as? String,
                                     index: (dict["sample_idx"] as? NSNumber)?.intValue ?? 0, prompt: dict["prompt"] as? String ?? "",
                                     promptAsPath: dict["prompt_as_path"] as? Bool ?? false,
                                     sampleCount: (dict["num_sample"] as? NSNumber)?.intValue ?? 1, sample: (dict["k"] as? NSNumber)?.intValue ?? 0)
        case "prepare_multi_resolution_info":
            let size = optionalInts(dict["image_size"] ?? [])
            let batch = (dict["batch_size"] as? NSNumber)?.intValue ?? 1
            let vs = VideoSize(height: size.first.flatMap { $0 } ?? 0, width: size.last.flatMap { $0 } ?? 1)
            let frames = (dict["num_frames"] as? NSNumber)?.intValue ?? 1, fps = (dict["fps"] as? NSNumber)?.intValue ?? 24
            switch dict["info_type"] as? String {
            case nil: return [String: Any]()
            case "PixArtMS":
                let ar = Float(Double(vs.height) / Double(vs.width))
                return ["ar": Array(repeating: [ar], count: batch), "hw": Array(repeating: [Float(vs.height), Float(vs.width)], count: batch)]
            case "OpenSora", "STDiT2":
                let info = ConditioningInfo(batch: batch, size: vs, numFrames: frames, fps: fps)
                return ["height": info.height, "width": info.width, "num_frames": info.numFrames, "ar": info.aspectRatio, "fps": info.fps]
            default: throw OpenSoraError.invalidInput("unknown multi-resolution info type")
            }
        case "apply_mask_strategy":
            let strategies = dict["mask_strategys"] as? [String] ?? []
            let lengths = dict["ref_lengths"] as? [[Int]] ?? []
            let t = (dict["latent_T"] as? NSNumber)?.intValue ?? 0
            var masks = [[Double]](), sources = [[Int]]()
            for (i, s) in strategies.enumerated() {
                let plan = try MaskStrategy(parsing: s).plan(latentFrames: t, referenceLengths: lengths.indices.contains(i) ? lengths[i] : [],
                                                             loop: (dict["loop_i"] as? NSNumber)?.intValue ?? 0,
                                                             align: (dict["align"] as? NSNumber)?.intValue)
                var source = [Int](repeating: -1, count: t)
                for p in plan.placements {
                    for k in 0..<p.count { source[p.targetStart + k] = 100 * p.referenceIndex + p.referenceStart + k }
                }
                masks.append(plan.mask)
                sources.append(source)
            }
            return ["mask": masks, "z_frame_source": sources]
        default:
            throw Unsupported(function: function)
        }
    }

    /// Structural equality of JSON-like values; numbers within 1e-6 relative.
    func same(_ a: Any, _ b: Any) -> Bool {
        if a is NSNull || b is NSNull { return a is NSNull && b is NSNull }
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = a as? Bool, let y = b as? Bool, !(a is Int), !(b is NSNumber && !(b is Bool)) { return x == y }
        if let x = number(a), let y = number(b) { return abs(x - y) <= 1e-6 * max(1, abs(y)) }
        if let x = a as? [Any], let y = b as? [Any] { return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) } }
        if let x = a as? [String: Any], let y = b as? [String: Any] {
            return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { same(x[$0]!, y[$0]!) }
        }
        return false
    }

    func number(_ v: Any) -> Double? {
        switch v {
        case let n as Int: Double(n)
        case let n as Double: n
        case let n as Float: Double(n)
        case let n as NSNumber: n.doubleValue
        default: nil
        }
    }
}
