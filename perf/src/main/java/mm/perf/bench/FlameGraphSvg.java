package mm.perf.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws collapsed stacks (async-profiler's {@code collapsed} output: {@code frame;frame;frame count} per line)
 * as an inline SVG flame graph, root at the bottom, so the report needs no script and no external file. Frames
 * narrower than a small share of the samples are left out to keep the report small; each frame's tooltip
 * gives its samples and share.
 */
public final class FlameGraphSvg
{
    private static final int WIDTH = 1200;
    private static final int ROW = 16;
    private static final double MIN_SHARE = 0.002;
    private static final int MAX_DEPTH = 80;

    private FlameGraphSvg()
    {
    }

    private static final class Node
    {
        final String name;
        final Map<String, Node> children = new TreeMap<>();
        long samples;

        Node(final String name)
        {
            this.name = name;
        }
    }

    /** Total samples in collapsed stacks. */
    public static long samples(final String collapsed)
    {
        long total = 0;
        for (final String line : collapsed.split("\n"))
        {
            final int space = line.lastIndexOf(' ');
            if (space > 0)
            {
                total += parseCount(line.substring(space + 1));
            }
        }
        return total;
    }

    public static String render(final String collapsed, final String title)
    {
        return render(collapsed, title, null, "all");
    }

    /**
     * @param focus     frames (substrings) a stack must pass through to be drawn, from the first of them up: e.g.
     *                  the agents' {@code doWork}, to see the engine's work without the idle strategy; or null.
     * @param rootName  the name of the root frame.
     */
    public static String render(final String collapsed, final String title, final String[] focus, final String rootName)
    {
        final Node root = new Node(rootName);
        for (final String line : collapsed.split("\n"))
        {
            final int space = line.lastIndexOf(' ');
            if (space <= 0)
            {
                continue;
            }
            final long count = parseCount(line.substring(space + 1));
            if (count <= 0)
            {
                continue;
            }
            String[] frames = line.substring(0, space).split(";");
            if (focus != null)
            {
                frames = focused(frames, focus);
                if (frames == null)
                {
                    continue;
                }
            }
            root.samples += count;
            Node node = root;
            int depth = 0;
            for (final String frame : frames)
            {
                if (++depth > MAX_DEPTH)
                {
                    break;
                }
                node = node.children.computeIfAbsent(frame, Node::new);
                node.samples += count;
            }
        }
        final int depth = depth(root, root.samples, 0);
        final int height = (depth + 1) * ROW + 40;
        final StringBuilder svg = new StringBuilder(64 * 1024);
        svg.append("<svg class=\"flame\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
            .append(height).append("\" width=\"100%\" role=\"img\" aria-label=\"").append(escape(title)).append("\">\n");
        svg.append("<text x=\"4\" y=\"16\" class=\"flame-title\">").append(escape(title)).append("</text>\n");
        if (root.samples == 0)
        {
            svg.append("<text x=\"4\" y=\"36\">no samples</text></svg>\n");
            return svg.toString();
        }
        draw(svg, root, 0, 0.0, WIDTH, root.samples, height - 20);
        return svg.append("</svg>\n").toString();
    }

    private static String[] focused(final String[] frames, final String[] focus)
    {
        for (int i = 0; i < frames.length; i++)
        {
            for (final String wanted : focus)
            {
                if (frames[i].contains(wanted))
                {
                    return java.util.Arrays.copyOfRange(frames, i, frames.length);
                }
            }
        }
        return null;
    }

    private static int depth(final Node node, final long total, final int level)
    {
        int deepest = level;
        for (final Node child : node.children.values())
        {
            if ((double)child.samples / total >= MIN_SHARE)
            {
                deepest = Math.max(deepest, depth(child, total, level + 1));
            }
        }
        return deepest;
    }

    private static void draw(final StringBuilder svg, final Node node, final int level, final double x,
        final double width, final long total, final int baseY)
    {
        final double y = baseY - (level + 1) * ROW;
        final double share = 100.0 * node.samples / total;
        svg.append(String.format(Locale.ROOT, "<g><title>%s (%,d samples, %.2f%%)</title>" +
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\" rx=\"1\"/>",
            escape(node.name), node.samples, share, x, y, Math.max(0.5, width - 0.5), ROW - 1, color(node.name)));
        final int chars = (int)((width - 6) / 6.5);
        if (chars >= 3)
        {
            final String label = node.name.length() <= chars ? node.name : node.name.substring(0, chars - 2) + "..";
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x + 3, y + ROW - 4,
                escape(label)));
        }
        svg.append("</g>\n");
        double childX = x;
        for (final Node child : node.children.values())
        {
            final double childWidth = width * child.samples / node.samples;
            if ((double)child.samples / total >= MIN_SHARE)
            {
                draw(svg, child, level + 1, childX, childWidth, total, baseY);
            }
            childX += childWidth;
        }
    }

    private static String color(final String frame)
    {
        final int hash = frame.hashCode();
        if (frame.contains("[k]") || frame.startsWith("__") || frame.contains("_[k]"))
        {
            return String.format(Locale.ROOT, "rgb(%d,%d,%d)", 220, 140 + (hash & 31), 40);
        }
        if (frame.contains("::") || frame.startsWith("lib") || !frame.contains("."))
        {
            return String.format(Locale.ROOT, "rgb(%d,%d,%d)", 220 + (hash & 31), 90 + ((hash >> 5) & 63), 70);
        }
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", 90 + ((hash >> 3) & 63), 190 + (hash & 31), 90);
    }

    private static long parseCount(final String text)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
