/// Linear warm-up (ColossalAI `LinearWarmupLR`, spec/training.md §9.2): after k scheduler steps
/// lr = base·(k+1)/(warmup+1) while k < warmup, then base (no decay).
public struct WarmupSchedule: Sendable {
    public let baseLearningRate: Float
    public let warmupSteps: Int

    public init(baseLearningRate: Float, warmupSteps: Int) {
        self.baseLearningRate = baseLearningRate
        self.warmupSteps = warmupSteps
    }

    public func learningRate(afterSteps k: Int) -> Float {
        k < warmupSteps ? baseLearningRate * Float(k + 1) / Float(warmupSteps + 1) : baseLearningRate
    }
}
