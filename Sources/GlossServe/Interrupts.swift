import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension PreviewServer {
    /// Serves until Ctrl-C (SIGINT) or SIGTERM, then shuts down cleanly:
    /// event streams end, connections close, the watcher stops. A second
    /// Ctrl-C during shutdown exits at once.
    public func runUntilInterrupted() async {
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                Task { await self.interrupted() }
            }
            source.resume()
            return source
        }
        await wait()
        for source in sources { source.cancel() }
    }

    private func interrupted() async {
        if stopped { exit(130) }
        configuration.log("Shutting down…")
        await stop()
    }
}
