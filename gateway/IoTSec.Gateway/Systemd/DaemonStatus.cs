using System;
using System.Collections.Generic;
using System.Linq;
using IoTSec.Gateway.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IoTSec.Gateway.Systemd;

/// <summary>The one-line status systemd shows in <c>systemctl status</c>: what the daemon serves where.</summary>
internal sealed class DaemonStatus(IServer server, MetricsEndpoint metrics)
{
    public string Describe()
    {
        var parts = new List<string>();
        var est = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (est.Count > 0)
        {
            parts.Add("EST " + string.Join(" ", est));
        }

        if (metrics.Url is { } url)
        {
            parts.Add("metrics " + url);
        }

        return parts.Count == 0 ? "running" : "serving " + string.Join(", ", parts);
    }
}
