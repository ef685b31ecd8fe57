package io.chartpulse.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format, in one place: byte {@value #MAGIC_BYTE}, the schema id as a 4-byte big-endian int,
 * then the Avro binary body.
 *
 * <pre>
 * +------+----------------+---------------------+
 * | 0x00 | id (int32, BE) | Avro binary datum   |
 * +------+----------------+---------------------+
 *   1 B        4 B              rest
 * </pre>
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    public static final int ID_SIZE = 4;
    public static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {}

    /** Writes the 5-byte header for schema {@code id}. */
    public static byte[] header(int id) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(id).array();
    }

    /**
     * Reads the header of a framed record and returns the schema id; the buffer is left at the Avro body.
     *
     * @param source names where the bytes came from in the error message, e.g. {@code topic chart.events.raw.v1}
     * @throws SerializationException naming the source when the bytes are too short or the magic byte is wrong
     */
    public static int readId(ByteBuffer buffer, String source) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException(
                    "Record from " + source + " has " + buffer.remaining()
                            + " bytes, fewer than the 5-byte Confluent header (magic byte 0 + schema id): not Avro from a schema registry serializer");
        }
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Unknown magic byte 0x%02x in record from %s; expected 0x00 "
                            + "(Confluent wire format). The record was not written by a schema-registry Avro serializer",
                    magic, source));
        }
        return buffer.getInt();
    }
}
