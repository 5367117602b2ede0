using System;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Pki;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// Registers the device broker in a host. The host provides the gateway core it works with —
/// <see cref="DeviceInventory"/>, <see cref="DeviceCertificateIssuer"/>,
/// <see cref="ServerCertificateRotator"/>, <see cref="ITrafficPolicy"/>,
/// <see cref="IHeartbeatProcessor"/>, <see cref="IUpstreamQueue"/>, optionally
/// <see cref="AuditLog"/>, a <see cref="ClientCertificateValidator"/> (made here from the
/// issuer's authority when absent) and a <see cref="TimeProvider"/> — and binds
/// <see cref="BrokerSettings"/>; this adds the rest: the listener, the broker (also as
/// <see cref="IDeviceDownlink"/>), <see cref="ConnectedDevices"/>, and the hosted services
/// (broker, revocation watcher, refusal audit).
/// </summary>
public static class BrokerServiceCollectionExtensions
{
    /// <summary>Adds the device broker (settings validated at start).</summary>
    public static IServiceCollection AddDeviceBroker(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<BrokerSettings>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BrokerSettings>, BrokerSettingsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ConnectedDevices>();

        // The same rule as EST's (and the same instance when EST registered it first).
        services.TryAddSingleton(provider =>
        {
            var authority = provider.GetRequiredService<DeviceCertificateIssuer>().Authority;
            var revocations = new InventoryRevocationList(provider.GetRequiredService<DeviceInventory>(), [authority.Root, authority.Intermediate]);
            return new ClientCertificateValidator(authority.Root, revocations, [authority.Intermediate], provider.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(provider => new DeviceAdmission(
            provider.GetRequiredService<ClientCertificateValidator>(), provider.GetRequiredService<DeviceInventory>()));
        services.TryAddSingleton(provider => new ConnectionRefusalLedger(
            provider.GetService<AuditLog>(), provider.GetRequiredService<ILogger<ConnectionRefusalLedger>>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new BrokerTlsListener(
            provider.GetRequiredService<IOptions<BrokerSettings>>().Value,
            provider.GetRequiredService<ServerCertificateRotator>(),
            provider.GetRequiredService<DeviceAdmission>(),
            provider.GetRequiredService<ConnectionRefusalLedger>()));
        services.TryAddSingleton(provider => new DeviceBroker(
            provider.GetRequiredService<IOptions<BrokerSettings>>().Value,
            provider.GetRequiredService<BrokerTlsListener>(),
            provider.GetRequiredService<ConnectedDevices>(),
            provider.GetRequiredService<DeviceInventory>(),
            provider.GetRequiredService<ConnectionRefusalLedger>(),
            provider.GetRequiredService<ITrafficPolicy>(),
            provider.GetRequiredService<IHeartbeatProcessor>(),
            provider.GetRequiredService<IUpstreamQueue>(),
            provider.GetRequiredService<ILogger<DeviceBroker>>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDeviceDownlink>(provider => provider.GetRequiredService<DeviceBroker>());

        // The revocation watcher subscribes before the broker starts listening.
        services.AddHostedService<BrokerRevocationWatcher>();
        services.AddHostedService<DeviceBrokerService>();
        services.AddHostedService<BrokerRefusalFlusher>();
        return services;
    }
}
