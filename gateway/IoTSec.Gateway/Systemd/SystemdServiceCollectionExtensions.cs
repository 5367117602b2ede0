using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace IoTSec.Gateway.Systemd;

/// <summary>systemd integration: Type=notify readiness, STATUS= lines, the watchdog, journald log format.</summary>
internal static class SystemdServiceCollectionExtensions
{
    public static IServiceCollection AddGatewaySystemd(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Under systemd: SystemdLifetime (READY=1 after start, STOPPING=1) and the journald format.
        services.AddSystemd();
        // Elsewhere a notifier too: it is enabled exactly when NOTIFY_SOCKET is set.
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton<DaemonStatus>();
        services.AddHostedService<SystemdNotification>();
        return services;
    }
}
