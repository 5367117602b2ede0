using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IoTSec.Benchmarks;

/// <summary>
/// MB/s (10^6 bytes per second) computed from the mean time and the benchmark's <c>Size</c>
/// parameter, the number of input bytes one operation processes. Convention for every class
/// here: name that parameter <c>Size</c> and the column fills in; without it the column shows "-".
/// </summary>
internal sealed class ThroughputColumn : IColumn
{
    public const string SizeParameter = "Size";

    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 100;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Throughput: the Size parameter in bytes divided by the mean time, in 10^6 bytes per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var size = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == SizeParameter)?.Value;
        var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (size is not int bytes || meanNanoseconds is not double mean || mean <= 0)
        {
            return "-";
        }

        // bytes / (mean ns * 1e-9 s) / 1e6 = bytes * 1000 / mean ns.
        return (bytes * 1000.0 / mean).ToString("N1", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
