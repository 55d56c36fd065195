import Foundation
import Logging
import OpenSora
import ServiceLifecycle

/// Builds the models; called once, on the worker's thread.
public typealias ModelLoader = @Sendable () throws -> ModelContainer

/// The one worker: takes queued jobs in order and runs them on its own thread (sampling is long, blocking
/// work that must not hold the server's threads). MLX's streams belong to the thread that made them, so the
/// models are built on that thread too, once, and kept. A service of the application: it starts and stops
/// with the server.
public final class JobWorker: Service, @unchecked Sendable {
    let store: JobStore
    let videos: VideoFolder
    let logger: Logger
    let metrics: ServerMetrics
    /// The loaded models (handlers read their configs for the memory check; tensors are used on the worker thread only).
    private(set) var models: ModelBundle?
    private var pipeline: GenerationPipeline?
    private let wake = DispatchSemaphore(value: 0)
    private let begin = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopping = false
    private var loadError: (any Error)?

    /// Starts the thread and waits until it has loaded the models (a loading error is thrown here).
    init(store: JobStore, videos: VideoFolder, logger: Logger, metrics: ServerMetrics = ServerMetrics(), loadModels: @escaping ModelLoader) throws {
        self.metrics = metrics
        self.store = store
        self.videos = videos
        self.logger = logger
        let loaded = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            do {
                let pipeline = GenerationPipeline(container: try loadModels())
                self.pipeline = pipeline
                models = pipeline.engine.container.models
            } catch {
                loadError = error
            }
            loaded.signal()
            guard loadError == nil else { return }
            begin.wait()
            loop()
            // The models' tensors are freed here, on the thread that made them, before the server counts as stopped:
            // never later on whichever thread drops the last reference, while another server's worker runs MLX.
            pipeline = nil
            models = nil
            done.signal()
        }
        thread.name = "opensora-worker"
        thread.start()
        loaded.wait()
        if let loadError { throw loadError }
    }

    /// A job was queued: look now rather than at the next poll.
    func notify() { wake.signal() }

    private var isStopping: Bool { lock.withLock { stopping } }

    public func run() async throws {
        begin.signal()
        try? await gracefulShutdown()
        lock.withLock { stopping = true }
        wake.signal()
        // Wait for the current job to stop at its next step, off the cooperative pool.
        let done = self.done
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                done.wait()
                c.resume()
            }
        }
    }

    private func loop() {
        while !isStopping {
            do {
                if let job = try store.claimNext() {
                    run(job)
                    continue
                }
            } catch {
                logger.error("job store: \(error)")
            }
            _ = wake.wait(timeout: .now() + 1)
        }
    }

    private func run(_ job: VideoJob) {
        let id = job.id
        logger.info("job started", metadata: ["job": "\(id)"])
        var request = job.request
        request.saveDirectory = videos.folder(for: id)
        request.sampleName = "video"
        request.startIndex = 0
        request.sampleCount = 1
        request.batchSize = 1
        let steps = request.steps
        var loop = 0
        do {
            guard let pipeline else { throw OpenSoraError.invalidInput("internal: no models loaded") }
            let files = try pipeline.generate(request, onEvent: { [self] event in
                switch event {
                case .stage(.sampling(let l)): loop = l
                case .step(let index, _, _):
                    try? store.recordStep(id, step: loop * steps + index)
                    metrics.step(first: loop == 0 && index == 1)
                default: break
                }
                let cancelled = (try? store.isCancelRequested(id)) ?? false
                return cancelled || isStopping ? .cancel : .proceed
            })
            guard let file = files.first else { throw OpenSoraError.invalidInput("the generation wrote no file") }
            try store.recordStep(id, step: job.totalSteps)
            try store.finish(id, state: .succeeded, outputPath: file)
            metrics.jobFinished(.succeeded)
            logger.info("job succeeded", metadata: ["job": "\(id)", "file": "\(file)"])
        } catch is GenerationCancelled {
            videos.remove(id)
            if (try? store.isCancelRequested(id)) == true {
                try? store.finish(id, state: .cancelled, error: "cancelled while running")
                metrics.jobFinished(.cancelled)
                logger.info("job cancelled", metadata: ["job": "\(id)"])
            } else {
                try? store.requeue(id)
                logger.info("job re-queued: the server is stopping", metadata: ["job": "\(id)"])
            }
        } catch {
            videos.remove(id)
            try? store.finish(id, state: .failed, error: "\(error)")
            metrics.jobFinished(.failed)
            logger.warning("job failed", metadata: ["job": "\(id)", "error": "\(error)"])
        }
    }
}
