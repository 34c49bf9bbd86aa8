import FlyingFox
import FlyingSocks

/// A `text/event-stream` response body for FlyingFox: the bytes of an
/// `AsyncStream` of events, sent chunked as they come. FlyingFox has no SSE
/// helper, but streams any `AsyncBufferedSequence` without a length.
///
/// When the client disconnects, FlyingFox's next write fails and it drops
/// the iterator; the `Subscription` it holds then unsubscribes, so nothing
/// is left behind in `PreviewState`.
struct EventStreamBody: AsyncBufferedSequence {
    typealias Element = UInt8

    let events: AsyncStream<[UInt8]>
    let subscription: Subscription

    func makeAsyncIterator() -> Iterator {
        Iterator(events: events.makeAsyncIterator(), subscription: subscription)
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var events: AsyncStream<[UInt8]>.Iterator
        let subscription: Subscription
        var pending: ArraySlice<UInt8> = []

        mutating func next() async -> UInt8? {
            await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async -> ArraySlice<UInt8>? {
            if pending.isEmpty {
                guard let event = await events.next() else { return nil }
                pending = event[...]
            }
            let chunk = pending.prefix(Swift.max(1, count))
            pending = pending.dropFirst(chunk.count)
            return chunk
        }
    }

    /// Unsubscribes when the last copy of the response body goes away.
    final class Subscription: Sendable {
        let id: UInt64
        let state: PreviewState

        init(id: UInt64, state: PreviewState) {
            self.id = id
            self.state = state
        }

        deinit {
            let id = id, state = state
            Task { await state.unsubscribe(id) }
        }
    }
}

extension HTTPResponse {
    /// An event stream for one page, starting with the current state.
    static func eventStream(from state: PreviewState, since: Int?) async -> HTTPResponse {
        let (id, events) = await state.subscribe(since: since)
        let body = EventStreamBody(events: events, subscription: .init(id: id, state: state))
        let headers: HTTPHeaders = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                                    HTTPHeader("X-Accel-Buffering"): "no"]
        return HTTPResponse(statusCode: .ok, headers: headers,
                            body: HTTPBodySequence(from: body, suggestedBufferSize: 4096))
    }
}
