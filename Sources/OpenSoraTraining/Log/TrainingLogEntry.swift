// Reference: train.py@v1.2.0 logs `loss`, `avg_loss`, `lr`, `epoch`, `iter` every `log_every` steps to TensorBoard
// and wandb (spec/training.md §10.3); ours is one JSON line per step, readable without either.

/// One step of a run, as one line of `log.jsonl`.
public struct TrainingLogEntry: Codable, Equatable, Sendable {
    /// Global steps completed (1 after the first step): the key a resume truncates by.
    public var step: Int
    public var epoch: Int
    /// This step's loss (all-reduced); NaN and infinities are kept (written as "nan", "inf").
    public var loss: Double
    public var lr: Double
    public var samplesPerSecond: Double
    /// Seconds since the run (or the resumed session) started.
    public var elapsedSeconds: Double
    /// Eval losses by name (e.g. per resolution), when this step ran an evaluation.
    public var evalLosses: [String: Double]?
    /// Global L2 norm of the gradient before clipping.
    public var gradNorm: Double?
    /// Dataset rows skipped so far in this session (missing, corrupt or too short), when any were.
    public var skippedSamples: Int?
    /// The step's loss terms by the reference's log names (train_vae.py's `log_dict`: nll_loss, kl_loss, …), when the
    /// trainer reports them.
    public var terms: [String: Double]?

    public init(step: Int, epoch: Int, loss: Double, lr: Double, samplesPerSecond: Double, elapsedSeconds: Double,
                evalLosses: [String: Double]? = nil, gradNorm: Double? = nil, skippedSamples: Int? = nil,
                terms: [String: Double]? = nil) {
        (self.step, self.epoch, self.loss, self.lr) = (step, epoch, loss, lr)
        (self.samplesPerSecond, self.elapsedSeconds, self.evalLosses) = (samplesPerSecond, elapsedSeconds, evalLosses)
        (self.gradNorm, self.skippedSamples, self.terms) = (gradNorm, skippedSamples, terms)
    }

    enum CodingKeys: String, CodingKey {
        case step, epoch, loss, lr, samplesPerSecond = "samples_per_s", elapsedSeconds = "elapsed_s", evalLosses = "eval"
        case gradNorm = "grad_norm", skippedSamples = "skipped", terms
    }
}
