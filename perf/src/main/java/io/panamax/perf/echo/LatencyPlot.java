package io.panamax.perf.echo;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latency percentile curves of every server (HdrHistogram style: x is the percentile on a "nines" scale,
 * y the round-trip time), ping-pong and fixed-rate side by side, drawn with XChart into one PNG.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class LatencyPlot
{
    private static final double TOP_PERCENTILE = 99.99;
    /** Distinct colours, one per server in catalog order (c-epoll black: the floor). */
    private static final Color[] COLORS = {
        Color.BLACK, new Color(0xE6, 0x9F, 0x00), new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x72, 0xB2),
        new Color(0x00, 0x9E, 0x73), new Color(0x56, 0xB4, 0xE9), new Color(0xCC, 0x79, 0xA7),
        new Color(0x99, 0x99, 0x99)};

    private LatencyPlot()
    {
    }

    /**
     * @param histograms per server, per mode ("pingpong", "fixedrate"): merged latencies in ns.
     * @param png        the file to write.
     * @param subtitle   e.g. the date and rounds, for the chart titles.
     * @throws IOException if the file cannot be written.
     */
    public static void write(final Map<String, Map<String, Histogram>> histograms, final Path png,
        final String subtitle) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final List<XYChart> charts = new ArrayList<>();
        for (final String mode : List.of("pingpong", "fixedrate"))
        {
            final XYChart chart = chart(("pingpong".equals(mode) ? "Ping-pong" : "Fixed-rate (from intended send)") +
                " round trip, 64 B, " + subtitle);
            for (final Map.Entry<String, Map<String, Histogram>> e : histograms.entrySet())
            {
                final Histogram h = e.getValue().get(mode);
                if (null != h && h.getTotalCount() > 0)
                {
                    addCurve(chart, e.getKey(), h);
                }
            }
            if (!chart.getSeriesMap().isEmpty())
            {
                charts.add(chart);
            }
        }
        if (!charts.isEmpty())
        {
            BitmapEncoder.saveBitmap(charts, 1, charts.size(), png.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static XYChart chart(final String title)
    {
        final XYChart chart = new XYChartBuilder().width(800).height(560).title(title)
            .xAxisTitle("percentile").yAxisTitle("round trip (µs)").build();
        // x is already log10(1 / (1 - p)), so a linear axis with labels only at whole numbers of nines
        chart.getStyler().setxAxisTickLabelsFormattingFunction(LatencyPlot::percentileLabel);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setSeriesColors(COLORS);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    private static void addCurve(final XYChart chart, final String name, final Histogram h)
    {
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        for (final HistogramIterationValue v : h.percentiles(5))
        {
            final double percentile = v.getPercentileLevelIteratedTo();
            if (percentile > TOP_PERCENTILE)
            {
                break;
            }
            xs.add(nines(percentile));
            ys.add(v.getValueIteratedTo() / 1000.0);
        }
        if (!xs.isEmpty())
        {
            chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.NONE);
        }
    }

    /**
     * @param percentile 0 to below 100.
     * @return the number of nines, log10(1 / (1 - p/100)): 0 at 0 %, 1 at 90 %, 2 at 99 %, 3 at 99.9 %.
     */
    static double nines(final double percentile)
    {
        return Math.log10(1.0 / (1.0 - percentile / 100.0));
    }

    /**
     * @param x a value of {@link #nines(double)}.
     * @return its percentile as a label ("99.9%") at whole numbers of nines, else an empty label.
     */
    static String percentileLabel(final Double x)
    {
        final long whole = Math.round(x);
        if (Math.abs(x - whole) > 1e-6 || whole < 0)
        {
            return "";
        }
        final double p = 100.0 * (1.0 - Math.pow(10, -whole));
        final String text = String.format(Locale.ROOT, "%.4f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
        return text + "%";
    }
}
