import MLXTensor

/// How a parameter is stored in a PyTorch checkpoint compared with our tensor; the conversion
/// happens once, at load (DESIGN.md: channels-last inside, reference layout at the boundary).
public enum ParameterLayout: Sendable, Equatable {
    /// Same layout in both.
    case identity
    /// A convolution kernel: PyTorch [O, I, k…] against MLX [O, k…, I].
    case convolutionKernel

    /// Converts a checkpoint tensor (PyTorch layout) into ours.
    public func fromPyTorch(_ t: Tensor) -> Tensor {
        switch self {
        case .identity: t
        case .convolutionKernel: t.ndim < 3 ? t : t.transposed([0] + Array(2..<t.ndim) + [1])
        }
    }

    /// Converts ours back into the checkpoint layout.
    public func toPyTorch(_ t: Tensor) -> Tensor {
        switch self {
        case .identity: t
        case .convolutionKernel: t.ndim < 3 ? t : t.transposed([0, t.ndim - 1] + Array(1..<(t.ndim - 1)))
        }
    }

    /// The checkpoint shape for our shape.
    public func toPyTorch(shape s: [Int]) -> [Int] {
        switch self {
        case .identity: s
        case .convolutionKernel: s.count < 3 ? s : [s[0], s[s.count - 1]] + Array(s[1..<(s.count - 1)])
        }
    }

    /// Our shape for a checkpoint shape.
    public func fromPyTorch(shape s: [Int]) -> [Int] {
        switch self {
        case .identity: s
        case .convolutionKernel: s.count < 3 ? s : [s[0]] + Array(s[2...]) + [s[1]]
        }
    }
}

/// A tensor owned by a module, addressed by its PyTorch name. `trainable: false` marks one the
/// optimizer never updates (e.g. `rope.freqs`); `buffer: true` a persistent buffer (in the
/// state_dict but not a parameter, e.g. `y_embedding`; never trained).
@propertyWrapper
public final class Parameter {
    private var value: Tensor?
    public let key: String?
    public let trainable: Bool
    public let layout: ParameterLayout
    public let buffer: Bool

    /// Reading it before the owner's init assigned it is a programming error (as in mlx-swift's `@ModuleInfo`).
    public var wrappedValue: Tensor {
        get { value! }
        set { value = newValue }
    }

    public init(wrappedValue: Tensor, key: String? = nil, trainable: Bool = true, buffer: Bool = false,
                layout: ParameterLayout = .identity) {
        self.value = wrappedValue
        self.key = key
        self.trainable = trainable && !buffer
        self.buffer = buffer
        self.layout = layout
    }

    /// Declared with its key; the owner assigns the tensor in its init (after `super.init()`).
    public init(key: String? = nil, trainable: Bool = true, buffer: Bool = false, layout: ParameterLayout = .identity) {
        self.key = key
        self.trainable = trainable && !buffer
        self.buffer = buffer
        self.layout = layout
    }
}

/// An optional tensor (e.g. a bias that only some configurations have): absent keys stay absent.
@propertyWrapper
public final class OptionalParameter {
    public var wrappedValue: Tensor?
    public let key: String?
    public let trainable: Bool
    public let layout: ParameterLayout

    public init(wrappedValue: Tensor?, key: String? = nil, trainable: Bool = true, layout: ParameterLayout = .identity) {
        self.wrappedValue = wrappedValue
        self.key = key
        self.trainable = trainable
        self.layout = layout
    }
}

/// A submodule (or array / optional of submodules) under an explicit PyTorch key, for camelCase
/// properties: `@Child(key: "t_block") var timestepModulation: Sequential`.
@propertyWrapper
public final class Child<Value> {
    private var value: Value?
    public let key: String?

    /// Reading it before the owner's init assigned it is a programming error (as in mlx-swift's `@ModuleInfo`).
    public var wrappedValue: Value {
        get { value! }
        set { value = newValue }
    }

    public init(wrappedValue: Value, key: String? = nil) {
        self.value = wrappedValue
        self.key = key
    }

    /// Declared with its key; the owner assigns the module in its init (after `super.init()`).
    public init(key: String) {
        self.key = key
    }
}

protocol ParameterSlot: AnyObject {
    var key: String? { get }
    var trainable: Bool { get }
    var buffer: Bool { get }
    var layout: ParameterLayout { get }
    var tensor: Tensor? { get set }
}

extension Parameter: ParameterSlot {
    var tensor: Tensor? {
        get { value }
        set { if let newValue { value = newValue } }
    }
}

extension OptionalParameter: ParameterSlot {
    var buffer: Bool { false }
    var tensor: Tensor? {
        get { wrappedValue }
        set { wrappedValue = newValue }
    }
}

protocol ChildSlot {
    var key: String? { get }
    var anyValue: Any { get }
}

extension Child: ChildSlot {
    var anyValue: Any { value as Any }
}
