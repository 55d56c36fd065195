import MLXTensor

/// Something that maps one tensor to one tensor (layers that can sit in a `Sequential`).
public protocol UnaryLayer: Module {
    func callAsFunction(_ x: Tensor) -> Tensor
}

/// A neural-network module: a tree of named parameters whose dotted paths equal the PyTorch
/// `state_dict()` names of the official checkpoints.
///
/// The tree is found by reflection over stored properties, in declaration order: `@Parameter`
/// tensors, plain `Module` properties, arrays of modules (`blocks.0`, `blocks.1`, …), optionals,
/// and `@Child(key:)` for names that differ from the property (an empty key lists an array's
/// elements directly under the parent). A leading underscore of a wrapped property is dropped.
open class Module {
    public init() {}

    /// Set by `train()`/`eval()`; layers like dropout read it.
    public private(set) var isTraining = false

    /// Every parameter and persistent buffer, in registration order, as (path, tensor).
    public func namedParameters() -> [(String, Tensor)] {
        var result = [(String, Tensor)]()
        visitSlots(prefix: "") { path, slot in if let t = slot.tensor { result.append((path, t)) } }
        return result
    }

    /// The persistent buffers' paths (state_dict entries that are not parameters).
    public func bufferPaths() -> Set<String> {
        var result = Set<String>()
        visitSlots(prefix: "") { path, slot in if slot.buffer { result.insert(path) } }
        return result
    }

    /// The parameters the optimizer updates (buffers and frozen ones excluded).
    public func trainableParameters() -> [(String, Tensor)] {
        var result = [(String, Tensor)]()
        visitSlots(prefix: "") { path, slot in
            if slot.trainable, let t = slot.tensor, !self.frozenPrefixes.contains(where: { path.hasPrefix($0) }) {
                result.append((path, t))
            }
        }
        return result
    }

    /// The checkpoint layout of every parameter path (for conversion at load and save).
    public func parameterLayouts() -> [String: ParameterLayout] {
        var result = [String: ParameterLayout]()
        visitSlots(prefix: "") { path, slot in result[path] = slot.layout }
        return result
    }

    /// Replaces parameters by path (our layout), all or none: an unknown path, a failed tensor or a
    /// shape that differs from the current parameter's throws before anything changes.
    public func update(parameters: [String: Tensor]) throws {
        var slots = [(ParameterSlot, Tensor)](), remaining = parameters
        var problem: Error?
        visitSlots(prefix: "") { path, slot in
            guard problem == nil, let t = remaining.removeValue(forKey: path) else { return }
            if let failure = t.failure {
                problem = failure
            } else if let current = slot.tensor, current.failure == nil, current.shape != t.shape {
                problem = ParameterUpdateError.wrongShape(path: path, expected: current.shape, got: t.shape)
            }
            slots.append((slot, t))
        }
        if let problem { throw problem }
        if !remaining.isEmpty { throw ParameterUpdateError.unknownPaths(remaining.keys.sorted()) }
        for (slot, t) in slots { slot.tensor = t }
    }

    /// Tied parameters: alias path → source path (one tensor under two names). A checkpoint may
    /// hold only the source; loading fills the alias from it (HF T5: encoder.embed_tokens ← shared).
    open var parameterAliases: [String: String] { [:] }

    /// Parameters whose path starts with one of these are not trained (e.g. a frozen caption embedder).
    public var frozenPrefixes: [String] = []

    public func train(_ on: Bool = true) {
        isTraining = on
        for (_, child) in children() { child.train(on) }
    }

    public func eval() { train(false) }

    // MARK: reflection

    /// The direct submodules with their keys.
    public final func children() -> [(String, Module)] {
        var result = [(String, Module)]()
        for (name, value) in reflectedProperties() {
            if let slot = value as? ChildSlot {
                result += Module.modules(in: slot.anyValue, key: slot.key ?? name)
            } else if !(value is ParameterSlot) {
                result += Module.modules(in: value, key: name)
            }
        }
        return result
    }

    private func reflectedProperties() -> [(String, Any)] {
        var chain = [Mirror]()
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror {
            chain.append(m)
            mirror = m.superclassMirror
        }
        return chain.reversed().flatMap { m in
            m.children.compactMap { child -> (String, Any)? in
                guard var name = child.label else { return nil }
                if name.hasPrefix("_") { name.removeFirst() }
                return (name, child.value)
            }
        }
    }

    private static func modules(in value: Any, key: String) -> [(String, Module)] {
        if let m = value as? Module { return [(key, m)] }
        if let list = value as? [Module] {
            // An empty key puts the elements directly under the parent (`Sequential`: `0`, `1`, …).
            return list.enumerated().map { (key.isEmpty ? "\($0.offset)" : "\(key).\($0.offset)", $0.element) }
        }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.map { modules(in: $0.value, key: key) } ?? []
        }
        return []
    }

    func visitSlots(prefix: String, _ visit: (String, ParameterSlot) -> Void) {
        for (name, value) in reflectedProperties() {
            if let slot = value as? ParameterSlot {
                visit(prefix + (slot.key ?? name), slot)
            } else {
                let subtree: [(String, Module)]
                if let slot = value as? ChildSlot {
                    subtree = Module.modules(in: slot.anyValue, key: slot.key ?? name)
                } else {
                    subtree = Module.modules(in: value, key: name)
                }
                for (key, module) in subtree { module.visitSlots(prefix: prefix + key + ".", visit) }
            }
        }
    }
}

extension Module {
    /// Total number of elements over all parameters and buffers.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.1.count } }
}
