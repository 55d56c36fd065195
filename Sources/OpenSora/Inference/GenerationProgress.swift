import Foundation

/// Where long work reports: the stage it is in and steps within it.
public protocol GenerationProgress: AnyObject {
    func stage(_ name: String)
    func step(_ index: Int, of total: Int)
    func finished(_ path: String)
}

/// Reports nothing (`--quiet`, tests).
public final class SilentProgress: GenerationProgress {
    public init() {}
    public func stage(_ name: String) {}
    public func step(_ index: Int, of total: Int) {}
    public func finished(_ path: String) {}
}
