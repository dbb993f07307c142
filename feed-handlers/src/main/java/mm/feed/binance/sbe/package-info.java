/**
 * Binance spot SBE market data (schema {@code spot_stream} id 1, Binance's {@code stream_1_0.xml}, codecs generated
 * into {@code mm.sbe.binance.stream}): {@link mm.feed.binance.sbe.BinanceSbeDecoder} validates frames and positions
 * the generated flyweights, {@link mm.feed.binance.sbe.BinanceSbeAdapter} hands trades, best bid/asks and depth
 * diffs to the shared {@link mm.feed.binance.BookSync} as mantissas with their exponents,
 * {@link mm.feed.binance.sbe.SbeRecording} converts JSON recordings into SBE recordings (hex frames, one per line),
 * and {@link mm.feed.binance.sbe.InspectBinanceSbe} prints frames as JSON lines.
 */
package mm.feed.binance.sbe;
