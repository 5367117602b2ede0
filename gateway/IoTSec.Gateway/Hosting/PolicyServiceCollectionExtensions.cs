using System;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Registers the protocol allowlist: <see cref="PolicySettings"/> (section <c>IoTSec:Policy</c>),
/// the <see cref="PolicyStore"/>, <see cref="TrafficPolicy"/> as <see cref="ITrafficPolicy"/> and
/// <see cref="IPostureRules"/>, the violation auditor, and the hosted services that reload the
/// file (<see cref="PolicyReload"/>) and flush violations to the audit log. The host provides
/// <see cref="GatewayDataDirectory"/>, <see cref="IAlertSink"/>, <see cref="IQuarantine"/>, and
/// optionally <see cref="AuditLog"/> and a <see cref="TimeProvider"/>.
/// </summary>
public static partial class PolicyServiceCollectionExtensions
{
    /// <summary>Adds the protocol allowlist, its settings bound from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddTrafficPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PolicySettings>().Bind(configuration.GetSection(PolicySettings.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PolicySettings>, PolicySettingsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => OpenStore(
            provider.GetRequiredService<IOptions<PolicySettings>>().Value,
            provider.GetRequiredService<GatewayDataDirectory>(),
            provider.GetService<AuditLog>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PolicyStore).FullName!)));
        services.TryAddSingleton(provider => new PolicyViolationAuditor(provider.GetService<AuditLog>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new TrafficPolicy(
            provider.GetRequiredService<PolicyStore>(),
            provider.GetRequiredService<IAlertSink>(),
            provider.GetRequiredService<IQuarantine>(),
            provider.GetRequiredService<PolicyViolationAuditor>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITrafficPolicy>(provider => provider.GetRequiredService<TrafficPolicy>());
        services.TryAddSingleton<IPostureRules>(provider => provider.GetRequiredService<TrafficPolicy>());
        services.AddHostedService<PolicyReload>();
        services.AddHostedService<PolicyViolationFlushing>();
        return services;
    }

    /// <summary>
    /// Opens the policy file named by <paramref name="settings"/>; writes the development policy
    /// first when allowed and missing. Every error of an invalid file is logged before the start fails.
    /// </summary>
    /// <exception cref="PolicyRejectedException">The file is missing (and no development policy is allowed) or invalid.</exception>
    internal static PolicyStore OpenStore(PolicySettings settings, GatewayDataDirectory dataDirectory, AuditLog? audit, ILogger logger)
    {
        var path = settings.PathIn(dataDirectory);
        if (!System.IO.File.Exists(path))
        {
            if (!settings.AllowDevelopmentPolicy)
            {
                throw new PolicyRejectedException(path, [new PolicyError(0, 0, string.Empty,
                    "the policy file does not exist: write one (docs/policy.md) or set IoTSec:Policy:File; the gateway does not start without a protocol allowlist")]);
            }

            if (DevelopmentPolicy.WriteIfMissing(path))
            {
                LogDevelopmentPolicyWritten(logger, path);
            }
        }

        try
        {
            var store = PolicyStore.Open(path, audit);
            LogLoaded(logger, path, store.Current.Sha256, store.Current.Classes.Count);
            return store;
        }
        catch (PolicyRejectedException e)
        {
            foreach (var error in e.Errors)
            {
                LogLoadError(logger, path, error.ToString());
            }

            throw;
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "NO POLICY FILE: wrote the DEVELOPMENT protocol allowlist to {Path} (development classes sensor and infusion-pump); write your own for production (docs/policy.md)")]
    private static partial void LogDevelopmentPolicyWritten(ILogger logger, string path);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "protocol allowlist {Path} in force (sha256 {Sha256}, {Classes} classes)")]
    private static partial void LogLoaded(ILogger logger, string path, string sha256, int classes);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "policy {Path}:{Error}")]
    private static partial void LogLoadError(ILogger logger, string path, string error);
}
