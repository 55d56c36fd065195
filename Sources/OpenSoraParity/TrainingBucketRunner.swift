// Reference: shared/fixtures/parity/README.md (training.bucket); opensora/datasets/{bucket,aspect}.py@v1.2.0.
import Foundation
import OpenSora
import OpenSoraTraining

/// `training.bucket`: every part of the fixture, exactly (floats bit for bit): each config's derived tables,
/// every case row (bucket id, shape, batch size, keep probability, seed rule, numpy draw trace), every
/// helper call, every error case, the aspect-ratio tables in order and the numpy check values.
/// The file is re-read with key order kept, since dict order decides ties.
struct TrainingBucketRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let data = try Data(contentsOf: f.url)
        let root = try ConfigLiteral(parsing: String(decoding: data, as: UTF8.self))
        var check = Checks()
        var buckets = [String: Bucket]()
        for (name, config) in root["configs"]?.objectValue ?? [] {
            check.scope("configs.\(name)") { buckets[name] = try checkConfig(config, &$0) }
        }
        check.require(!buckets.isEmpty, "no configs")
        for (i, c) in (root["cases"]?.listValue ?? []).enumerated() {
            check.scope("cases[\(i)]") { try checkCase(c, buckets, &$0) }
        }
        for (i, h) in (root["helpers"]?.listValue ?? []).enumerated() {
            check.scope("helpers[\(i)] \(h["function"]?.stringValue ?? "?")") { try checkHelper(h, &$0) }
        }
        for (i, e) in (root["errors"]?.listValue ?? []).enumerated() {
            check.scope("errors[\(i)] \(e["function"]?.stringValue ?? "?")") { try checkError(e, buckets, &$0) }
        }
        check.scope("constants") { try checkConstants(root["constants"], &$0) }
        check.scope("numpy_rng_check") { try checkNumPy(root["numpy_rng_check"], &$0) }
        let detail = check.failures.isEmpty ? "\(check.passed) checks: \(check.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
            : check.failures.prefix(5).joined(separator: "; ") + (check.failures.count > 5 ? "; … \(check.failures.count) failures" : "")
        return .checked(maxAbsError: Double(check.failures.count), passed: check.failures.isEmpty && check.passed > 0, detail: detail)
    }

    // MARK: configs

    func checkConfig(_ c: ConfigLiteral, _ check: inout Checks) throws -> Bucket {
        let config = try BucketConfig(literal: try need(c["bucket_config"], "bucket_config"))
        let bucket = try Bucket(config)
        check.equal(bucket.bucketCount, c["num_bucket"]?.intValue, "num_bucket")
        check.equal(bucket.resolutionOrder.map(\.rawValue), c["resolution_order"]?.listValue?.compactMap(\.stringValue), "resolution_order")
        let criteria = c["hw_criteria"]?.objectValue?.map { "\($0.key)=\($0.value.intValue ?? -1)" }
        check.equal(bucket.pixelCriteria.map { "\($0.resolution)=\($0.pixels)" }, criteria, "hw_criteria")
        let ids = c["bucket_ids"]?.listValue?.map { $0.listValue?.map(\.literalText).joined(separator: ",") ?? "?" }
        check.equal(bucket.frameBucketIndices.map { "\"\($0.resolution)\",\($0.frameCount),\($0.index)" }, ids, "bucket_ids")
        let arKeys = c["num_ar_keys"]?.objectValue?.map { "\($0.key)=\($0.value.intValue ?? -1)" }
        check.equal(bucket.aspectRatioKeyCounts.map { "\($0.resolution)=\($0.count)" }, arKeys, "num_ar_keys")
        // A config taken from a file we ship as a preset must equal the preset (with keeps forced to 1 if so).
        if let source = c["source"]?.stringValue,
           let preset = BucketConfig.presets.first(where: { source.hasSuffix("/\($0.name).py") })?.config {
            let forced = c["keep_prob_forced_to_1"] == .bool(true)
            check.require(config == (forced ? preset.alwaysKept : preset), "differs from the preset of \(source)", kind: "preset")
        }
        return bucket
    }

    // MARK: cases

    func checkCase(_ c: ConfigLiteral, _ buckets: [String: Bucket], _ check: inout Checks) throws {
        let name = try need(c["config"]?.stringValue, "config")
        let bucket = try need(buckets[name], "bucket of config \(name)")
        let samplerSeed = try need(c["sampler_seed"]?.uint64Value, "sampler_seed"), epoch = try need(c["epoch"]?.uint64Value, "epoch")
        var dropped = 0
        for row in try need(c["rows"]?.listValue, "rows") {
            let id = try need(row["id"]?.uint64Value, "id"), seed = try need(row["seed"]?.uint64Value, "seed")
            let rowName = "row \(id)"
            check.equal(seed, samplerSeed &+ epoch &+ id &* UInt64(bucket.bucketCount), "\(rowName) seed rule", kind: "seed")
            let got = try bucket.assignment(numFrames: try int(row, "num_frames"), height: try int(row, "height"), width: try int(row, "width"),
                                            frameInterval: try int(row, "frame_interval"), seed: seed)
            check.equal(got.id.map(Self.idText) ?? "None", Self.idText(row["bucket_id"]), "\(rowName) bucket_id", kind: "bucket_id")
            if let trace = row["rng"]?.listValue {
                let want = trace.map { t in t.listValue.map { "\($0.first?.literalText ?? "?"):" + Self.bits($0.last) } ?? "?" }
                check.equal(got.draws.map { "\($0.seed):" + $0.values.map { String($0.bitPattern, radix: 16) }.joined(separator: ",") },
                            want, "\(rowName) rng trace", kind: "rng")
            }
            guard let id = got.id else { dropped += 1; continue }
            let shape = try bucket.shape(id)
            check.equal("\(shape.frameCount),\(shape.size.height),\(shape.size.width)", row["thw"]?.listValue?.map(\.literalText).joined(separator: ","),
                        "\(rowName) thw", kind: "thw")
            check.equal(try bucket.batchSize(id).map(String.init) ?? "None", row["batch_size"]?.literalText ?? "absent",
                        "\(rowName) batch_size", kind: "batch_size")
            check.equal(Self.keepText(try bucket.keepProbability(id)), Self.keepText(row["keep_prob"]), "\(rowName) keep_prob", kind: "keep_prob")
        }
        if let want = c["rows_without_bucket"]?.intValue { check.equal(dropped, want, "rows_without_bucket") }
    }

    // MARK: helpers

    func checkHelper(_ h: ConfigLiteral, _ check: inout Checks) throws {
        let function = try need(h["function"]?.stringValue, "function"), args = h["args"] ?? .null
        do {
            let got = try evaluate(function, args)
            if h["error"] != nil {
                check.fail("expected the reference's error, got \(got)", kind: "helpers")
            } else {
                check.equal(got, try need(h["result"], "result").canonicalText, "result", kind: "helpers")
            }
        } catch {
            if h["error"] == nil { check.fail("unexpected error \(error)", kind: "helpers") } else { check.pass("helpers") }
        }
    }

    func evaluate(_ function: String, _ args: ConfigLiteral) throws -> String {
        let list = args.listValue ?? []
        switch function {
        case "get_closest_ratio":
            let ratios = try need(args["ratios"]?.stringValue, "ratios")
            let name = try need(ratios.split(separator: "'").dropFirst().first.map(String.init), "resolution in \(ratios)")
            return try ConfigLiteral.string(ResolutionTable.closestRatio(height: double(args, "height"), width: double(args, "width"),
                                                                         resolution: name)).canonicalText
        case "get_ar":
            return Self.floatText(try ResolutionTable.ratioValue(try need(list.first?.stringValue, "ratio")))
        case "get_aspect_ratios_dict":
            guard args["ars"]?.stringValue == "AR" else { throw ParityError.malformed("training.bucket", "ars other than AR") }
            let sizes = ResolutionTable.estimatedSizes(ratios: ResolutionTable.namedRatioValues, pixels: try int(args, "ts"))
            return "{" + sizes.map { "\($0.key): [\($0.size.height), \($0.size.width)]" }.joined(separator: ", ") + "}"
        case "get_h_w":
            let s = ResolutionTable.heightWidth(ratio: try double(args, "a"), pixels: try double(args, "ts"))
            return "[\(s.height), \(s.width)]"
        case "get_num_pixels":
            return "\(try ResolutionTable.pixelCount(try need(list.first?.stringValue, "name")))"
        case "find_approximate_hw":
            let table = try need(args["hw_dict"]?.objectValue, "hw_dict").map { ($0.key, $0.value.intValue ?? 0) }
            let got = BucketSearch.approximateResolution(pixels: try int(args, "hw"), criteria: table, approx: try double(args, "approx"))
            return got.map { ConfigLiteral.string($0).canonicalText } ?? "None"
        case "find_closet_smaller_bucket":
            let table = try need(args["t_dict"]?.objectValue, "t_dict").map { (Int($0.key) ?? 0, $0.value.intValue ?? 0) }
            return BucketSearch.closestSmallerFrameBucket(try int(args, "t"), table: table, frameInterval: try int(args, "frame_interval"))
                .map(String.init) ?? "None"
        case "closet_smaller_bucket":
            let values = try need(args["bucket"]?.listValue, "bucket").compactMap(\.intValue)
            return BucketSearch.closestSmallerValue(try int(args, "value"), in: values).map(String.init) ?? "None"
        default:
            throw ParityError.malformed("training.bucket", "no implementation of \(function)")
        }
    }

    // MARK: errors

    func checkError(_ e: ConfigLiteral, _ buckets: [String: Bucket], _ check: inout Checks) throws {
        let args = e["args"] ?? .null
        if args["seed"]?.isNull == true {
            // The reference's TypeError (None + int): our seed is a non-optional UInt64, so it cannot be passed.
            check.require(e["error"] != nil, "a None seed that did not raise in the reference", kind: "errors")
            return
        }
        do {
            var bucket = try e["config"]?.stringValue.map { try need(buckets[$0], "bucket of config \($0)") }
            if let literal = args["bucket_config"] { bucket = try Bucket(BucketConfig(literal: literal)) }
            let b = try need(bucket, "config or bucket_config")
            var got = "no lookup"
            if args["T"] != nil {
                got = try b.bucketID(numFrames: int(args, "T"), height: int(args, "H"), width: int(args, "W"),
                                     frameInterval: int(args, "frame_interval"), seed: need(args["seed"]?.uint64Value, "seed")).map(Self.idText) ?? "None"
            }
            if let error = e["error"]?.stringValue {
                check.fail("expected \(error), got \(got)", kind: "errors")
            } else {
                check.equal(got, Self.idText(e["result"]), "result", kind: "errors")
            }
        } catch {
            if e["error"] == nil { check.fail("unexpected error \(error)", kind: "errors") } else { check.pass("errors") }
        }
    }

    // MARK: constants

    func checkConstants(_ c: ConfigLiteral?, _ check: inout Checks) throws {
        let tables = try need(c?["ASPECT_RATIOS"]?.objectValue, "ASPECT_RATIOS")
        check.equal(ResolutionTable.referenceResolutionNames, tables.map(\.key), "ASPECT_RATIOS order", kind: "constants")
        for (name, table) in tables {
            check.equal(try ResolutionTable.pixelCount(name), table["num_pixels"]?.intValue, "\(name) num_pixels", kind: "constants")
            let want = table["ratios"]?.listValue?.map { $0.listValue?.map(\.canonicalText).joined(separator: ",") ?? "?" }
            let got = try ResolutionTable.rows(name).map { "\"\($0.key)\",\($0.size.height),\($0.size.width)" }
            check.equal(got, want, "\(name) ratios", kind: "constants")
        }
        let map = c?["ASPECT_RATIO_MAP"]?.objectValue?.map { "\($0.key)=\($0.value.stringValue ?? "?")" }
        check.equal(ResolutionTable.aspectRatioNames.map { "\($0.name)=\($0.key)" }, map, "ASPECT_RATIO_MAP", kind: "constants")
        if let approx = c?["approx"]?.doubleValue { check.equal(Bucket.pixelApproximation, approx, "approx", kind: "constants") }
    }

    func checkNumPy(_ c: ConfigLiteral?, _ check: inout Checks) throws {
        for entry in try need(c?.listValue, "numpy_rng_check") {
            let seed = try need(entry["seed"]?.uint64Value, "seed")
            let want = try need(entry["random"]?.listValue, "random")
            var rng = NumPyRandom(seed: seed)
            let got = want.map { _ in String(rng.random().bitPattern, radix: 16) }.joined(separator: ",")
            check.equal(got, Self.bits(entry["random"]), "seed \(seed)", kind: "numpy_rng_check")
        }
    }
}
