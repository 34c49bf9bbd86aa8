import ArgumentParser

@main
struct GlossCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Build annotated article archives: entities, mentions and claims, cross-linked.",
        subcommands: [BuildCommand.self, RenderCommand.self, ServeCommand.self, CheckCommand.self],
        defaultSubcommand: BuildCommand.self)
}
