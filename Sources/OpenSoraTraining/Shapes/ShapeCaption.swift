// Added (not in the reference): the caption grammar of the default model's synthetic data (issue 15, DESIGN.md
// "The embedded default model"): `a {color} {shape} moving {direction}`.

/// The seven foreground colours: pure primaries, secondaries and white.
public enum ShapeColor: String, CaseIterable, Codable, Sendable {
    case red, green, blue, yellow, cyan, magenta, white

    /// The colour's RGB in [0, 1].
    public var rgb: (Double, Double, Double) {
        switch self {
        case .red: (1, 0, 0)
        case .green: (0, 1, 0)
        case .blue: (0, 0, 1)
        case .yellow: (1, 1, 0)
        case .cyan: (0, 1, 1)
        case .magenta: (1, 0, 1)
        case .white: (1, 1, 1)
        }
    }
}

/// The three filled shapes; a triangle is upright with its base horizontal.
public enum ShapeKind: String, CaseIterable, Codable, Sendable {
    case circle, square, triangle

    /// The share of its bounding box a shape fills: π/4, 1, 1/2.
    public var fillRatio: Double {
        switch self {
        case .circle: Double.pi / 4
        case .square: 1
        case .triangle: 0.5
        }
    }
}

/// Directions in screen terms: up is towards the top row.
public enum MotionDirection: String, CaseIterable, Codable, Sendable {
    case left, right, up, down

    /// The unit step in (x, y) pixel coordinates, y growing downwards.
    public var unit: (x: Double, y: Double) {
        switch self {
        case .left: (-1, 0)
        case .right: (1, 0)
        case .up: (0, -1)
        case .down: (0, 1)
        }
    }
}

/// One combination of the grammar and its caption.
public struct ShapeCaption: Hashable, Codable, Sendable, CustomStringConvertible {
    public var color: ShapeColor
    public var shape: ShapeKind
    public var direction: MotionDirection

    public init(color: ShapeColor, shape: ShapeKind, direction: MotionDirection) {
        self.color = color
        self.shape = shape
        self.direction = direction
    }

    /// Parses exactly `a {color} {shape} moving {direction}` (case and surrounding space ignored); nil otherwise.
    public init?(parsing text: String) {
        let words = text.lowercased().split(separator: " ").map(String.init)
        guard words.count == 5, words[0] == "a", words[3] == "moving", let c = ShapeColor(rawValue: words[1]),
              let s = ShapeKind(rawValue: words[2]), let d = MotionDirection(rawValue: words[4]) else { return nil }
        self.init(color: c, shape: s, direction: d)
    }

    public var text: String { "a \(color.rawValue) \(shape.rawValue) moving \(direction.rawValue)" }
    public var description: String { text }

    /// All 84 combinations, colour-major.
    public static let all: [ShapeCaption] = ShapeColor.allCases.flatMap { c in
        ShapeKind.allCases.flatMap { s in MotionDirection.allCases.map { d in ShapeCaption(color: c, shape: s, direction: d) } }
    }

    /// The 12 combinations never trained on: (i mod 7, i mod 3, i mod 4) for i < 12, distinct because 7, 3 and 4 are
    /// coprime, and covering every colour, shape and direction.
    public static let heldOut: [ShapeCaption] = (0..<12).map { i in
        ShapeCaption(color: ShapeColor.allCases[i % 7], shape: ShapeKind.allCases[i % 3], direction: MotionDirection.allCases[i % 4])
    }

    /// The 72 training combinations.
    public static let training: [ShapeCaption] = all.filter { !heldOut.contains($0) }
}
