// The protocol the persistent cache's values conform to, and its conformances for
// the standard library's types (`ByteWriter`, `ByteReader`: `ByteCoding.swift`).

/// A value the persistent cache can store.
protocol CacheCodable {
    func encode(to writer: inout ByteWriter)
    init(from reader: inout ByteReader) throws
}

extension String: CacheCodable {
    func encode(to writer: inout ByteWriter) { writer.write(self) }
    init(from reader: inout ByteReader) throws { self = try reader.read() }
}

extension Int: CacheCodable {
    func encode(to writer: inout ByteWriter) { writer.write(self) }
    init(from reader: inout ByteReader) throws { self = try reader.read() }
}

extension Bool: CacheCodable {
    func encode(to writer: inout ByteWriter) { writer.write(self) }
    init(from reader: inout ByteReader) throws { self = try reader.read() }
}

extension Optional: CacheCodable where Wrapped: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(self != nil)
        if let self { writer.write(self) }
    }

    init(from reader: inout ByteReader) throws {
        self = try reader.read() ? try Wrapped(from: &reader) : nil
    }
}

extension Array: CacheCodable where Element: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(count)
        for element in self { writer.write(element) }
    }

    init(from reader: inout ByteReader) throws {
        let count = try reader.readCount()
        self = []
        reserveCapacity(count)
        for _ in 0..<count { append(try Element(from: &reader)) }
    }
}
