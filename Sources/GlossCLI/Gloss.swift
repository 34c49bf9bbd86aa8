import ArgumentParser

@main
struct GlossCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Build annotated article archives: entities, mentions and claims, cross-linked.",
        subcommands: [BuildCommand.self, RenderCommand.self, ServeCommand.self, CheckCommand.self],
        defaultSubcommand: BuildCommand.self)

    /// `gloss serve …` goes to `gloss-serve` before any parsing here, so that
    /// `gloss serve --help` and every option are the server's own.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "serve" { ServeLauncher.run(Array(arguments.dropFirst())) }
        if arguments == ["help", "serve"] { ServeLauncher.run(["--help"]) }
        main(arguments)
    }
}
