/// A reference to a module owned elsewhere in the tree: reflection does not list it as a child,
/// so its parameters keep their one path (STDiT3's temporal blocks share the model's `rope`).
public struct SharedModule<M: Module> {
    public let module: M
    public init(_ module: M) { self.module = module }
}
