using System;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Core.Tamper;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Est;

/// <summary>
/// Registers the EST service in a host. The host provides the gateway core the service
/// works with — <see cref="DeviceInventory"/>, <see cref="DeviceCertificateIssuer"/>,
/// <see cref="ServerCertificateRotator"/>, <see cref="HeartbeatSecret"/>,
/// <see cref="BirthCertificateValidator"/> and optionally <see cref="AuditLog"/>, a
/// <see cref="TimeProvider"/> and a <see cref="TamperState"/> (issuance stops while it says so) — and binds <see cref="EstOptions"/>; this adds the rest, the
/// Kestrel listener and the background services (revocation watcher, refusal audit).
/// Map the endpoints with <see cref="EstEndpoints.MapEst"/>.
/// </summary>
public static class EstServiceCollectionExtensions
{
    /// <summary>Adds the EST service (options validated at start).</summary>
    public static IServiceCollection AddEstService(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EstOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EstOptions>, EstOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(provider =>
        {
            var authority = provider.GetRequiredService<DeviceCertificateIssuer>().Authority;
            var time = provider.GetRequiredService<TimeProvider>();

            // Intermediates of the gateways this one replaced (pki/previous-intermediates.pem,
            // written by a restore), so devices that send only their leaf are still recognised.
            var data = provider.GetService<GatewayDataDirectory>();
            var previous = data is null ? [] : InstalledHierarchy.LoadPreviousIntermediates(data, authority.Root, time.GetUtcNow());
            X509Certificate2[] intermediates = [authority.Intermediate, .. previous];
            var revocations = new InventoryRevocationList(provider.GetRequiredService<DeviceInventory>(), [authority.Root, .. intermediates]);
            return new ClientCertificateValidator(authority.Root, revocations, intermediates, time);
        });
        services.TryAddSingleton(provider => new ClientIdentityResolver(
            provider.GetRequiredService<ClientCertificateValidator>(),
            provider.GetRequiredService<BirthCertificateValidator>(),
            provider.GetRequiredService<DeviceInventory>()));
        services.TryAddSingleton<DeviceConnections>();
        services.TryAddSingleton(provider => new RevocationListPublisher(
            provider.GetRequiredService<DeviceCertificateIssuer>().Authority,
            provider.GetRequiredService<DeviceInventory>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new RefusalAuditor(
            provider.GetService<AuditLog>(), provider.GetRequiredService<ILogger<RefusalAuditor>>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new EnrolmentGuard(
            provider.GetRequiredService<IOptions<EstOptions>>().Value.EnrolmentInterval, provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<EstOptions>>().Value;
            return new EnrolmentQueue(options.SigningSlots, options.QueueLimit, options.QueueTimeout, options.BusyRetryAfter);
        });
        services.TryAddSingleton(provider => new EnrolmentService(
            provider.GetRequiredService<DeviceCertificateIssuer>(),
            provider.GetRequiredService<DeviceInventory>(),
            provider.GetRequiredService<EnrolmentGuard>(),
            provider.GetRequiredService<EnrolmentQueue>(),
            provider.GetRequiredService<HeartbeatSecret>(),
            provider.GetRequiredService<ILogger<EnrolmentService>>(),
            provider.GetService<TamperState>()));
        services.TryAddSingleton(provider => new EstTlsHandshake(
            provider.GetRequiredService<ServerCertificateRotator>(),
            provider.GetRequiredService<ClientIdentityResolver>(),
            provider.GetRequiredService<DeviceConnections>(),
            provider.GetRequiredService<RefusalAuditor>(),
            provider.GetRequiredService<ILogger<EstTlsHandshake>>()));

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, EstKestrelSetup>());
        services.AddHostedService<RevocationWatcher>();
        services.AddHostedService<RefusalAuditFlusher>();
        return services;
    }
}
