using System;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Posture;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Registers the posture service (docs/posture.md): settings from <c>IoTSec:Posture</c>
/// (validated at start), the posture database, the heartbeat processor the broker calls, the
/// alert publisher, the verdict recorder, remediation, the silence detector and its sweep.
/// </summary>
public static class PostureServices
{
    /// <summary>
    /// Adds the posture service. Expects <see cref="GatewayDataDirectory"/>, <see cref="AuditLog"/>,
    /// <see cref="DeviceInventory"/> and <see cref="HeartbeatSecret"/> (the core), an
    /// <see cref="IPostureRules"/> (the policy store) and an <see cref="IUpstreamQueue"/> (the
    /// forwarder); uses an <see cref="IDeviceDownlink"/> (the broker) for commands when one is
    /// registered. Adds <see cref="ConnectedDevices"/>, <see cref="IQuarantine"/>,
    /// <see cref="IAlertSink"/> and <see cref="TimeProvider"/> unless already registered.
    /// </summary>
    public static IServiceCollection AddPosture(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PostureSettings>().Bind(configuration.GetSection(PostureSettings.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostureSettings>, PostureSettingsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ConnectedDevices>();
        services.TryAddSingleton<IQuarantine, DeviceQuarantine>();
        services.TryAddSingleton<IAlertSink, AlertPublisher>();
        services.AddSingleton(provider => PostureStore.Open(provider.GetRequiredService<GatewayDataDirectory>()));
        services.AddSingleton(provider => new PostureRemediation(
            provider.GetRequiredService<IQuarantine>(),
            provider.GetRequiredService<DeviceInventory>(),
            provider.GetRequiredService<PostureStore>(),
            provider.GetRequiredService<HeartbeatSecret>(),
            new LateBoundDownlink(provider),
            Settings(provider),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<PostureRemediation>>()));
        services.AddSingleton<PostureVerdictRecorder>();
        services.AddSingleton(provider => new HeartbeatProcessor(
            provider.GetRequiredService<PostureStore>(),
            provider.GetRequiredService<HeartbeatSecret>(),
            provider.GetRequiredService<IPostureRules>(),
            provider.GetRequiredService<DeviceInventory>(),
            provider.GetRequiredService<PostureVerdictRecorder>(),
            provider.GetRequiredService<IAlertSink>(),
            Settings(provider),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<HeartbeatProcessor>>()));
        services.AddSingleton<IHeartbeatProcessor>(provider => provider.GetRequiredService<HeartbeatProcessor>());
        services.AddSingleton(provider => new SilenceDetector(
            provider.GetRequiredService<PostureStore>(),
            provider.GetRequiredService<IPostureRules>(),
            provider.GetRequiredService<DeviceInventory>(),
            provider.GetRequiredService<PostureVerdictRecorder>(),
            provider.GetRequiredService<IAlertSink>(),
            Settings(provider),
            provider.GetRequiredService<ILogger<SilenceDetector>>()));
        services.AddHostedService(provider => new PostureSweep(
            provider.GetRequiredService<SilenceDetector>(),
            Settings(provider),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<PostureSweep>>()));
        return services;
    }

    private static PostureSettings Settings(IServiceProvider provider) => provider.GetRequiredService<IOptions<PostureSettings>>().Value;
}

/// <summary>Validates <see cref="PostureSettings"/> at start (source-generated from its attributes).</summary>
[OptionsValidator]
public sealed partial class PostureSettingsValidator : IValidateOptions<PostureSettings>;
