import Foundation
import Hummingbird
import Logging
import OpenSora

/// The server of `opensora serve`: the job store opened (and a crash's leftovers settled), the worker with
/// the models loaded once, and the HTTP routes, as one Hummingbird application.
public struct VideoServer {
    public let store: JobStore
    public let application: Application<RouterResponder<ServerContext>>
    /// Jobs found `running` at startup (left by a crash) and settled.
    public let recovered: [VideoJobID]

    /// `loadModels` runs once, on the worker's thread (MLX streams are per thread); its error is thrown here.
    public init(configuration: ServerConfiguration, loadModels: @escaping ModelLoader, defaults: GenerationDefaults?,
                logger: Logger = Logger(label: "opensora.serve")) throws {
        let data = configuration.dataDirectory
        do { try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true) } catch {
            throw OpenSoraError.invalidInput("cannot create --data-dir '\(data)': \(error.localizedDescription)")
        }
        let store = try JobStore(path: (data as NSString).appendingPathComponent("jobs.sqlite"))
        recovered = try store.recoverInterrupted()
        for id in recovered { logger.warning("job interrupted by an earlier crash, settled", metadata: ["job": "\(id)"]) }
        let videos = try VideoFolder(root: (data as NSString).appendingPathComponent("videos"))
        let metrics = ServerMetrics()
        let worker = try JobWorker(store: store, videos: videos, logger: logger, metrics: metrics, loadModels: loadModels)
        let router = Router(context: ServerContext.self)
        router.addMiddleware {
            LogRequestsMiddleware(.info)
            MethodCheck()
            AccessControl(token: configuration.token,
                          limiter: configuration.ratePerSecond.map { RateLimiter(perSecond: $0, burst: configuration.rateBurst) },
                          metrics: metrics)
        }
        VideoRoutes(store: store, worker: worker, videos: videos, configuration: configuration, defaults: defaults,
                    logger: logger).register(on: router)
        self.store = store
        application = Application(router: router,
                                  configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "opensora"),
                                  services: [worker],
                                  onServerRunning: { channel in
                                      // The bound port (the one asked for, or the free one `--port 0` got), for people and scripts.
                                      logger.info("listening on http://\(configuration.host):\(channel.localAddress?.port ?? configuration.port)")
                                  },
                                  logger: logger)
    }
}
