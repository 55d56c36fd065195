import CMLX

/// Process-wide MLX settings and statistics.
public enum Runtime {
    public enum Device: Sendable { case cpu, gpu }

    public static var version: String { String(cString: cmlx_version()) }
    public static var gpuAvailable: Bool { cmlx_gpu_available() != 0 }

    public static func setDefaultDevice(_ device: Device) throws {
        try check(cmlx_set_default_device(device == .gpu ? 1 : 0))
    }

    /// The device new ops run on, as MLX has it (no Swift copy that could drift from MLX's).
    public static var defaultDevice: Device { cmlx_default_device_is_gpu() != 0 ? .gpu : .cpu }

    /// Bytes MLX's allocator holds for live arrays now / at most since the last reset.
    public static var activeMemory: Int { Int(cmlx_active_memory()) }
    public static var peakMemory: Int { Int(cmlx_peak_memory()) }
    public static func resetPeakMemory() { cmlx_reset_peak_memory() }
    /// Returns cached buffers to the system (after releasing a model, e.g. the text encoder).
    public static func clearCache() { cmlx_clear_cache() }
    /// Caps the bytes of freed buffers MLX keeps for reuse; returns the previous cap.
    @discardableResult
    public static func setCacheLimit(_ bytes: Int) -> Int { Int(cmlx_set_cache_limit(bytes)) }

    /// Runs `body` with buffers of 1 MB and up mapped from and returned to the system directly, for
    /// stages that stream through large activations once (VAE decode): the heap would keep them.
    /// Elsewhere the threshold is 32 MB, where the transformer's activations reuse heap memory.
    public static func returningLargeBuffers<T>(_ body: () throws -> T) rethrows -> T {
        let previous = cmlx_set_mmap_threshold(1 << 20)
        defer { cmlx_set_mmap_threshold(previous) }
        return try body()
    }

    public static func setCompileEnabled(_ enabled: Bool) throws { try check(cmlx_set_compile_enabled(enabled ? 1 : 0)) }
}
