import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora train extract CONFIG.yaml --out DIR`: VAE latents and T5 features of every batch of epoch 0, so a
/// `BatchFeatureDataset` run (stage1_feat) skips both encoders.
struct TrainExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Cache the VAE latents and T5 features of a run's batches (safetensors shards + index.json).")

    @OptionGroup var options: TrainingConfigOptions

    @Option(help: "The feature-cache folder to write.")
    var out: String

    @Option(help: "Batches per shard file.")
    var batchesPerShard = 64

    func run() throws {
        let config = try options.load()
        let terminal = TrainingTerminal()
        let count = try FeatureExtraction(config: config).run(into: out, batchesPerShard: batchesPerShard) { done, total in
            terminal.message("extracted batch \(done)/\(total)")
        }
        terminal.message("wrote \(count) batches to \(out)")
        print(out)
    }
}
