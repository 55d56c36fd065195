import Foundation
import Hummingbird
import Logging
import OpenSora

/// The REST API over the job queue (submit, look up, download with byte ranges, cancel or delete, list) and the page at `/`.
struct VideoRoutes: Sendable {
    let store: JobStore
    let worker: JobWorker
    let videos: VideoFolder
    let configuration: ServerConfiguration
    let defaults: GenerationDefaults?
    let logger: Logger

    func register(on router: Router<ServerContext>) {
        let page = ByteBuffer(string: WebPage.html(defaults: defaults, llm: configuration.refiner != nil))
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"], body: .init(byteBuffer: page))
        }
        router.get("/healthz") { _, _ in await answer { try health() } }
        router.get("/metrics") { _, _ in
            await answer {
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                         body: .init(byteBuffer: ByteBuffer(string: worker.metrics.text(jobs: try store.counts()))))
            }
        }
        let document = OpenAPIDocument.json(configuration: configuration)
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        router.post("/v1/videos") { request, _ in await answer { try await submit(request) } }
        router.post("/v1/prompts") { request, _ in await answer { try await refinePrompt(request) } }
        router.get("/v1/videos") { request, _ in await answer { try list(request) } }
        router.get("/v1/videos/:id") { _, context in await answer { try show(try jobID(context)) } }
        router.get("/v1/videos/:id/content") { request, context in await answer { try content(try jobID(context), request) } }
        router.get("/v1/videos/:id/events") { _, context in await answer { try JobEvents(store: store).response(for: try jobID(context)) } }
        router.delete("/v1/videos/:id") { _, context in await answer { try remove(try jobID(context)) } }
    }

    /// Every failure becomes a JSON error; nothing a client sends can bring down the server.
    private func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as APIError {
            return error.response
        } catch let error as InvalidSetting {
            return APIError.invalid(error).response
        } catch let error as HTTPError {
            return APIError(error.status, code: "http_\(error.status.code)", error.body ?? error.status.reasonPhrase).response
        } catch {
            logger.error("request failed: \(error)")
            return APIError(.internalServerError, code: "internal", "\(error)").response
        }
    }

    /// The `{id}` of a path, accepted only as a UUID.
    private func jobID(_ context: ServerContext) throws -> VideoJobID {
        let text = context.parameters.get("id") ?? ""
        guard let id = VideoJobID(text) else {
            throw APIError(.badRequest, code: "invalid_id", "'\(text.prefix(60))' is not a job id; accepted: a UUID as returned by POST /v1/videos",
                           field: "id")
        }
        return id
    }

    private func health() throws -> Response {
        let counts = try store.counts()
        return JSONBody.response(["status": "ok"].merging(counts.map { ($0.key.rawValue, "\($0.value)") }) { a, _ in a })
    }

    /// A JSON body, or multipart/form-data with the same JSON as its `options` part and an optional `reference` file
    /// (an image or video the video starts from: mask strategy "0", the first frame, unless the options give one).
    private func submit(_ request: Request) async throws -> Response {
        let type = request.headers[.contentType] ?? ""
        let boundary = MultipartForm.boundary(contentType: type)
        guard type.lowercased().hasPrefix("application/json") || boundary != nil else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type",
                           "Content-Type '\(type.prefix(60))' is not accepted; accepted: application/json, multipart/form-data", field: "Content-Type")
        }
        var request = request
        let limit = boundary == nil ? configuration.maxBodyBytes : configuration.maxUploadBytes
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", "the body is over \(limit) bytes", field: "body")
        }
        var body = Data(buffer.readableBytesView), upload: ReferenceUpload?
        if let boundary {
            let form = try MultipartForm(body: body, boundary: boundary)
            guard let options = form["options"] else {
                throw APIError(.badRequest, code: "invalid_multipart", "a multipart body needs an 'options' part (the JSON options)", field: "options")
            }
            body = options.data
            if let file = form["reference"] {
                upload = try ReferenceUpload.store(file.data, in: videos.uploads, limit: configuration.maxUploadBytes)
            }
        }
        let options = try VideoOptions(json: body)
        var (generation, resolved) = try options.resolve(defaults: defaults)
        if let upload {
            generation.referencePaths = [upload.path]
            if generation.maskStrategies.isEmpty { generation.maskStrategies = [try MaskStrategy(parsing: "0")] }
            resolved.reference = upload.description
            resolved.mask_strategy = generation.maskStrategies[0].text
            try generation.validate()
        }
        if options.llmRefine {
            // As the reference does, an LLM that fails leaves the prompt as given; the job says why.
            switch await Self.refine(options.prompt, with: try refiner(field: "llm_refine")) {
            case .success(let text):
                generation.prompts = [text]
                resolved.refined_prompt = text
                try generation.validate()
            case .failure(let error): resolved.refine_error = "\(error)"
            }
        }
        if let models = worker.models {
            do { try MemoryEstimate.generation(generation, models: models).check() } catch {
                throw APIError(.unprocessableContent, code: "too_large", "\(error)", field: "num_frames")
            }
        }
        switch try store.submit(options: resolved, request: generation, capacity: configuration.queueCapacity) {
        case .full(let capacity):
            throw APIError(.tooManyRequests, code: "queue_full", "the queue holds \(capacity) waiting jobs; retry later",
                           headers: [.retryAfter: "\(configuration.retryAfterSeconds)"])
        case .queued(let job):
            worker.notify()
            return JSONBody.response(VideoJobResponse(job), status: .accepted, headers: [.location: "/v1/videos/\(job.id)"])
        }
    }

    /// `POST /v1/prompts` `{"prompt": "…"}`: the prompt as the LLM refines it (translated to English if it is not);
    /// an empty prompt asks for a random one (the demo's "Random Prompt").
    private func refinePrompt(_ request: Request) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: configuration.maxBodyBytes) } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", "the body is over \(configuration.maxBodyBytes) bytes", field: "body")
        }
        guard case .object(let body)? = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
            throw APIError(.badRequest, code: "invalid_field", "the body is not a JSON object; accepted: {\"prompt\": \"…\"}", field: "body")
        }
        let prompt: String
        do { prompt = try FieldReader(body).string("prompt") ?? "" } catch let e as InvalidSetting { throw APIError.invalid(e) }
        switch await Self.refine(prompt, with: try refiner(field: "prompt")) {
        case .success(let text): return JSONBody.response(["prompt": text])
        case .failure(let error): throw APIError(.badGateway, code: "llm_failed", "the LLM endpoint failed: \(error)")
        }
    }

    private func refiner(field: String) throws -> PromptRefiner {
        guard let refiner = configuration.refiner else {
            throw APIError(.unprocessableContent, code: "no_llm", "this server has no LLM endpoint: start it with OPENAI_API_KEY "
                           + "(and OPENAI_BASE_URL for another OpenAI-compatible server)", field: field)
        }
        return refiner
    }

    /// The refiner's blocking HTTP calls, off the server's event loops.
    static func refine(_ prompt: String, with refiner: PromptRefiner) async -> Result<String, Error> {
        await withCheckedContinuation { done in
            DispatchQueue.global().async { done.resume(returning: Result { try refiner.refine(prompt) }) }
        }
    }

    private func show(_ id: VideoJobID) throws -> Response {
        guard let job = try store.job(id) else { throw APIError.notFound("no job \(id)") }
        return JSONBody.response(VideoJobResponse(job))
    }

    private struct Page: Encodable {
        let data: [VideoJobResponse]
        let total: Int
        let limit: Int
        let offset: Int
    }

    private func list(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = query.get(name) else { return fallback }
            guard let n = Int(text), range.contains(n) else {
                throw APIError(.badRequest, code: "invalid_field", "\(name) '\(text.prefix(40))' is not accepted; accepted: \(range.lowerBound)...\(range.upperBound)",
                               field: name)
            }
            return n
        }
        let limit = try integer("limit", 20, ServerConfiguration.pageLimits)
        let offset = try integer("offset", 0, 0...Int(Int32.max))
        var state: JobState?
        if let text = query.get("state") {
            guard let s = JobState(rawValue: text) else {
                throw APIError(.badRequest, code: "invalid_field",
                               "state '\(text.prefix(40))' is not accepted; accepted: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))",
                               field: "state")
            }
            state = s
        }
        let (jobs, total) = try store.list(state: state, limit: limit, offset: offset)
        return JSONBody.response(Page(data: jobs.map(VideoJobResponse.init), total: total, limit: limit, offset: offset))
    }

    private func content(_ id: VideoJobID, _ request: Request) throws -> Response {
        guard let job = try store.job(id) else { throw APIError.notFound("no job \(id)") }
        guard job.state == .succeeded, let path = job.outputPath else {
            throw APIError(.conflict, code: "not_ready", "job \(id) is \(job.state.rawValue); its content exists once it has succeeded")
        }
        guard videos.contains(path, for: id), let data = FileManager.default.contents(atPath: path) else {
            throw APIError.notFound("the video of job \(id) is missing from the data folder")
        }
        var headers: HTTPFields = [.contentType: path.hasSuffix(".png") ? "image/png" : "video/mp4", .acceptRanges: "bytes"]
        switch ByteRange.parse(request.headers[.range], length: data.count) {
        case .whole:
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(data.count)"
            let slice = data[data.startIndex + range.lowerBound...data.startIndex + range.upperBound]
            return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: slice)))
        case .unsatisfiable:
            throw APIError(.rangeNotSatisfiable, code: "range_not_satisfiable",
                           "Range '\((request.headers[.range] ?? "").prefix(60))' is outside the \(data.count) bytes of the video",
                           field: "Range", headers: [.contentRange: "bytes */\(data.count)"])
        }
    }

    private func remove(_ id: VideoJobID) throws -> Response {
        switch try store.remove(id) {
        case .notFound: throw APIError.notFound("no job \(id)")
        case .cancelled(let job): return JSONBody.response(VideoJobResponse(job))
        case .cancelling(let job): return JSONBody.response(VideoJobResponse(job), status: .accepted)
        case .deleted:
            videos.remove(id)
            return Response(status: .noContent)
        }
    }
}
