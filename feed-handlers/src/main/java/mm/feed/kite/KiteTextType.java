package mm.feed.kite;

/** Classification of a Kite WebSocket text (JSON) message by its top-level {@code type}. */
public enum KiteTextType
{
    /** {@code "order"} with an object {@code data}: an order postback (placement, update, fill, cancel, reject). */
    ORDER,
    /** {@code "error"}: {@code data} is an error string. */
    ERROR,
    /** {@code "message"}: a broker message or alert string in {@code data}. */
    MESSAGE,
    /** A well-formed object whose type is not one of the above (e.g. {@code instruments_meta}, {@code app_code}). */
    OTHER,
    /** Not a JSON object, no string {@code type}, or an {@code order} without an object {@code data}. */
    MALFORMED
}
