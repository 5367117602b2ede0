using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Edge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace IoTSec.Gateway.Metrics;

/// <summary>
/// Serves <c>GET /metrics</c> in Prometheus text format: every instrument of
/// <see cref="GatewayMeter"/> (through <see cref="GatewayMeterBridge"/>) and the process's own
/// metrics (CPU, memory, GC, threads). A Kestrel server of its own, plain HTTP, apart from
/// the EST listener: nothing else is reachable on this port, and the device-facing listeners
/// never serve metrics.
/// </summary>
/// <remarks>
/// prometheus-net rather than the OpenTelemetry exporter: it is pinned here already, gives the
/// process metrics and the text format with no SDK pipeline, while the OpenTelemetry Prometheus
/// exporter (and its process instrumentation) are still pre-release packages. A registry of its own (not the static
/// default) so that two hosts in one process — the tests — do not share series.
/// </remarks>
internal sealed partial class MetricsEndpoint(IOptions<MetricsOptions> options, ILogger<MetricsEndpoint> logger) : IHostedService, IAsyncDisposable
{
    private const string Path = "/metrics";
    private WebApplication? _server;
    private GatewayMeterBridge? _bridge;
    private CollectorRegistry? _registry;

    /// <summary>The URL being served (after start), e.g. http://127.0.0.1:9464/metrics.</summary>
    public string? Url { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        _registry = PrometheusRegistry.Create();
        _bridge = new GatewayMeterBridge(_registry, GatewayMeter.Name);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "iotsec-gateway-metrics" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A scraper or two; a local process opening more is refused rather than served.
            kestrel.Limits.MaxConcurrentConnections = 16;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Listen(settings.ListenAddress, settings.Port);
        });
        _server = builder.Build();
        _server.Run(ServeAsync);
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Url = address + Path;
        LogServing(logger, Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _bridge?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (!string.Equals(context.Request.Path, Path, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await _registry!.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Prometheus metrics on {Url}")]
    private static partial void LogServing(ILogger logger, string url);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Prometheus metrics disabled (IoTSec:Metrics:Enabled=false)")]
    private static partial void LogDisabled(ILogger logger);
}
