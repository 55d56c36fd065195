import Hummingbird
import NIOCore

/// The request context of `opensora serve`: Hummingbird's core context plus the client's address, which the per-client
/// rate limit keys on.
public struct ServerContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address ("unknown" without one), without the port: one client, one budget.
    var clientKey: String { remoteAddress?.ipAddress ?? "unknown" }
}
