package io.dynamo.transport.tcp;

/** The kinds of frame on the wire, by their one-byte code. */
enum FrameType {
    /** Client to server: a request payload for the server's handler. */
    REQUEST(1),
    /** Server to client: the handler's response to the request with the same id. */
    RESPONSE(2),
    /** Server to client: UTF-8 message; request id 0 means the whole connection failed. */
    ERROR(3),
    /** Server to client, first frame of every connection: flags and the server's nonce. */
    HELLO(4),
    /** Client to server: the client's nonce and its proof of the cluster secret. */
    AUTH(5),
    /** Server to client: the server's proof of the cluster secret. */
    AUTH_OK(6),
    /** Client to server: keeps an otherwise idle connection open. */
    PING(7);

    private static final FrameType[] BY_CODE = new FrameType[8];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    final byte code;

    FrameType(int code) {
        this.code = (byte) code;
    }

    /** The type with {@code code}, or null when no type has it. */
    static FrameType fromCode(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
