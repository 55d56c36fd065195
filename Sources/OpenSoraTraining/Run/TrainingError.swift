// Reference: train.py / train_vae.py@v1.2.0 fail with Python exceptions or CUDA errors; ours name the value.

/// What stops a training run before or between steps.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case nothingToTrain(module: String)
    case checkpointMismatch(what: String, key: String, reason: String)
    case wrongTrainer(config: String, expected: TrainerKind, found: TrainerKind)
    case noBatches(reason: String)
    case missingWeights(key: String, reason: String)
    case nonFiniteLoss(step: Int, loss: Double)

    public var description: String {
        switch self {
        case .nothingToTrain(let m): "\(m): every parameter is frozen; nothing to train"
        case .checkpointMismatch(let what, let key, let reason): "checkpoint \(what): \(key) \(reason)"
        case .wrongTrainer(let config, let expected, let found):
            "\(config) is a '\(found.rawValue)' config (trainer: \(found.rawValue)); this command trains '\(expected.rawValue)'"
        case .noBatches(let reason): "no training batches: \(reason)"
        case .missingWeights(let key, let reason): "\(key): \(reason)"
        case .nonFiniteLoss(let step, let loss): "step \(step): the loss is \(loss); stopping (the last checkpoint is intact)"
        }
    }
}
