import Foundation

/// Ports the kernel reports free on 127.0.0.1 (bound to port 0, read back, released).
public enum FreePorts {
    public static func loopback(_ count: Int) throws -> [Int] {
        var sockets = [Int32](), ports = [Int]()
        defer { sockets.forEach { close($0) } }
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw OpenSoraError.invalidInput("launch: cannot open a socket to find a free port") }
            sockets.append(fd)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = 0
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
            }
            guard ok else { throw OpenSoraError.invalidInput("launch: cannot bind a loopback port") }
            ports.append(Int(UInt16(bigEndian: addr.sin_port)))
        }
        return ports
    }
}
