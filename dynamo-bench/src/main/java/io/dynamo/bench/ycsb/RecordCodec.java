package io.dynamo.bench.ycsb;

import io.dynamo.api.Bytes;
import io.dynamo.api.codec.BytesIn;
import io.dynamo.api.codec.BytesOut;
import io.dynamo.api.codec.MalformedDataException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Encodes a YCSB record (field name → bytes) as one Dynamo value:
 * <pre>
 * byte     format version, 1
 * varint   number of fields
 * then, per field in name order:
 *   varint length, UTF-8 name
 *   varint length, value bytes
 * </pre>
 * Varints are unsigned LEB128 ({@link BytesOut#writeVarInt}). A 1-field record of 100 bytes
 * with YCSB's field name {@code field0} takes 110 bytes.
 */
final class RecordCodec {
    static final int VERSION = 1;

    private RecordCodec() {}

    static Bytes encode(SortedMap<String, byte[]> fields) {
        int size = 2;
        for (Map.Entry<String, byte[]> field : fields.entrySet()) {
            size += field.getKey().length() * 3 + field.getValue().length + 10;
        }
        BytesOut out = new BytesOut(size);
        out.writeByte(VERSION);
        out.writeVarInt(fields.size());
        fields.forEach((name, value) -> {
            out.writeString(name);
            out.writeBytes(value);
        });
        return Bytes.wrapOwned(out.toByteArray());
    }

    /** The fields of {@code value}; fails with {@link MalformedDataException} on anything else. */
    static SortedMap<String, byte[]> decode(Bytes value) {
        BytesIn in = new BytesIn(value.toByteArray());
        int version = in.readByte();
        if (version != VERSION) {
            throw new MalformedDataException("not a YCSB record: format version " + version + ", expected " + VERSION);
        }
        int count = in.readLength(in.remaining());
        SortedMap<String, byte[]> fields = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readString();
            if (fields.put(name, in.readBytes()) != null) {
                throw new MalformedDataException("field " + name + " appears twice");
            }
        }
        in.requireEnd();
        return fields;
    }
}
