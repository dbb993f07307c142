package mm.gateway.binance;

import mm.common.config.ConfigException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code mm inspect sign-binance --secret-file F key=value...}: prints the canonical WebSocket API signature
 * payload (every parameter but {@code signature}, sorted by name, {@code key=value} joined with {@code &}, raw
 * UTF-8) and its signature, for a user whose request Binance rejected with -1022. The key file holds an HMAC
 * secret (first line) or an Ed25519 PEM private key; the key itself is never printed.
 */
public final class InspectSignBinance
{
    public static final String USAGE = "usage: mm inspect sign-binance --secret-file FILE key=value... " +
        "(e.g. apiKey=... symbol=BTCUSDT side=BUY type=LIMIT timeInForce=GTC quantity=0.01 price=52000 timestamp=...)";

    private InspectSignBinance()
    {
    }

    /** @return the exit code: 0, or 2 for bad usage or an unreadable key file. */
    public static int run(final List<String> args, final PrintStream out, final PrintStream err)
    {
        Path secretFile = null;
        final Map<String, String> params = new TreeMap<>(); // String order is byte order for ASCII names
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if ("--secret-file".equals(arg) && i + 1 < args.size())
            {
                secretFile = Path.of(args.get(++i));
                continue;
            }
            final int eq = arg.indexOf('=');
            if (eq <= 0 || arg.startsWith("--"))
            {
                err.println("mm: not a key=value parameter: " + arg);
                err.println(USAGE);
                return 2;
            }
            final String name = arg.substring(0, eq);
            if ("signature".equals(name))
            {
                continue; // never part of the payload
            }
            if (params.put(name, arg.substring(eq + 1)) != null)
            {
                err.println("mm: parameter given twice: " + name);
                return 2;
            }
        }
        if (secretFile == null || params.isEmpty())
        {
            err.println(USAGE);
            return 2;
        }
        final BinanceSigner signer;
        try
        {
            signer = BinanceSigner.fromFile("--secret-file", secretFile);
        }
        catch (final ConfigException ex)
        {
            err.println("mm: " + ex.getMessage());
            return 2;
        }
        final StringBuilder payload = new StringBuilder();
        for (final Map.Entry<String, String> entry : params.entrySet())
        {
            if (!payload.isEmpty())
            {
                payload.append('&');
            }
            payload.append(entry.getKey()).append('=').append(entry.getValue());
        }
        out.println("payload:   " + payload);
        out.println("signature: " + signer.sign(payload.toString()));
        out.println("key:       " + (signer.type() == BinanceSigner.KeyType.HMAC ?
            "HMAC-SHA256, lower-case hex (Binance accepts either case)" : "Ed25519, standard base64 (case-sensitive)") +
            ", from " + signer.source());
        if (!params.containsKey("timestamp"))
        {
            out.println("note:      signed requests need a timestamp parameter (ms or µs since the epoch)");
        }
        return 0;
    }
}
