using System;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Tamper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hardware;

/// <summary>Registers the tamper monitor in the gateway's host.</summary>
public static class TamperServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TamperSettings"/> (bound to <paramref name="section"/>, validated at start),
    /// the shared <see cref="TamperState"/> (which the EST service consults), the
    /// <see cref="TamperResponse"/> and the <see cref="TamperMonitor"/> hosted service. The host
    /// provides <see cref="GatewayDataDirectory"/> and <see cref="IGatewayKeyStore"/> (or an
    /// <see cref="ISecretSealer"/>); <see cref="IAlertSink"/>, <see cref="AuditLog"/> and
    /// <see cref="HeartbeatSecret"/> are used when registered. <paramref name="gpio"/> defaults to
    /// the Linux GPIO character device.
    /// </summary>
    public static IServiceCollection AddTamperMonitor(this IServiceCollection services, IConfiguration section, TamperGpio? gpio = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<TamperSettings>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TamperSettings>, TamperSettingsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(gpio ?? TamperGpio.LinuxCharacterDevice);

        // Starting until the switch is read: issuance is refused meanwhile (default deny).
        services.TryAddSingleton(_ => new TamperState(TamperPhase.Starting));
        services.TryAddSingleton(provider => new TamperFlagFile(provider.GetRequiredService<GatewayDataDirectory>()));
        services.TryAddSingleton(provider => new TamperDaemonLink(provider.GetRequiredService<GatewayDataDirectory>()));
        services.TryAddSingleton(provider => new TamperResponse(
            provider.GetRequiredService<TamperState>(),
            provider.GetRequiredService<TamperFlagFile>(),
            provider.GetService<ISecretSealer>() ?? provider.GetRequiredService<IGatewayKeyStore>().Sealer,
            provider.GetRequiredService<ILogger<TamperResponse>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<IAlertSink>(),
            provider.GetService<AuditLog>(),
            () => provider.GetService<HeartbeatSecret>()));
        services.AddHostedService<TamperMonitor>();
        return services;
    }

    /// <summary>
    /// Sets the latch again when the persisted flag says the gateway is tampered (PCR 23 was
    /// reset by the reboot). Call it when the host is built, before anything resolves the
    /// heartbeat secret (whose factory unseals it), so that nothing unseals in between; the
    /// monitor does it again (a no-op) at start. Returns true when the gateway starts tampered.
    /// </summary>
    public static bool RestoreTamperLatch(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<TamperResponse>().RestoreAtStart();
    }
}
