package mm.feed.kite;

/**
 * Consumer of Kite text messages routed by {@link KiteTextMessageRouter}. Only {@link #onOther} must be
 * implemented: the typed callbacks default to it, so a handler that does not care about a type still
 * receives those messages instead of losing them.
 */
public interface KiteTextMessageHandler
{
    /** An order postback ({@code "type":"order"}); {@link KiteTextMessage#dataJson()} is the order object. */
    default void onOrder(final KiteTextMessage message)
    {
        onOther(message);
    }

    /** A server error ({@code "type":"error"}); {@link KiteTextMessage#dataString()} is its text. */
    default void onError(final KiteTextMessage message)
    {
        onOther(message);
    }

    /** A broker message or alert ({@code "type":"message"}). */
    default void onBrokerMessage(final KiteTextMessage message)
    {
        onOther(message);
    }

    /** Unknown types ({@link KiteTextType#OTHER}), malformed text ({@link KiteTextType#MALFORMED}), and by default all the rest. */
    void onOther(KiteTextMessage message);
}
