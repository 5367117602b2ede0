using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Pki;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Forwarder;

/// <summary>Composes the forwarder into the daemon.</summary>
public static class ForwarderServiceCollectionExtensions
{
    /// <summary>The spool's file name in the data directory.</summary>
    public const string SpoolFileName = "upstream-spool.db";

    /// <summary>
    /// Registers the durable spool as the <see cref="IUpstreamQueue"/> and the forwarder as a
    /// hosted service. Needs <see cref="UpstreamSettings"/> bound (IoTSec:Upstream), the
    /// <see cref="GatewayDataDirectory"/> and, when a host is configured without certificate
    /// files, the <see cref="GatewayCertificateAuthority"/> that issues the client certificate.
    /// </summary>
    /// <param name="services">The daemon's services.</param>
    /// <param name="gatewayName">The gateway's name (default client id).</param>
    public static IServiceCollection AddUpstreamForwarder(this IServiceCollection services, Func<IServiceProvider, string> gatewayName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(gatewayName);
        services.AddSingleton<IValidateOptions<UpstreamSettings>, UpstreamSettingsValidator>();
        services.AddSingleton<IValidateOptions<UpstreamSettings>>(provider => new UpstreamFilesValidator(provider.GetRequiredService<GatewayDataDirectory>()));
        services.AddSingleton(provider => UpstreamSpool.Open(
            Path.Combine(provider.GetRequiredService<GatewayDataDirectory>().Root, SpoolFileName),
            Settings(provider),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<UpstreamSpool>()));
        services.AddSingleton<IUpstreamQueue>(provider => provider.GetRequiredService<UpstreamSpool>());
        services.AddSingleton(provider =>
        {
            var settings = Settings(provider);
            var clientId = settings.ClientIdOr(gatewayName(provider));
            var data = provider.GetRequiredService<GatewayDataDirectory>().Root;
            UpstreamClientIdentity? identity = null;
            X509Certificate2Collection trust = [];
            if (settings.Enabled)
            {
                identity = settings.ClientCertificateFile.Length > 0
                    ? UpstreamClientIdentity.FromFiles(UpstreamSettings.Resolve(data, settings.ClientCertificateFile), UpstreamSettings.Resolve(data, settings.ClientKeyFile))
                    : UpstreamClientIdentity.Issued(provider.GetRequiredService<GatewayCertificateAuthority>(), clientId, settings.ClientCertificateValidity);
                trust.ImportFromPemFile(UpstreamSettings.Resolve(data, settings.CaFile));
            }

            return new UpstreamForwarder(
                provider.GetRequiredService<UpstreamSpool>(), settings, clientId, identity,
                forwarder => new UpstreamLink(settings, clientId, identity!, trust, forwarder.OnRequestAsync),
                provider.GetRequiredService<ILogger<UpstreamForwarder>>());
        });
        services.AddHostedService(provider => provider.GetRequiredService<UpstreamForwarder>());
        return services;
    }

    private static UpstreamSettings Settings(IServiceProvider provider) => provider.GetRequiredService<IOptions<UpstreamSettings>>().Value;

    // The files named in the settings, checked at start against the data directory.
    private sealed class UpstreamFilesValidator(GatewayDataDirectory dataDirectory) : IValidateOptions<UpstreamSettings>
    {
        public ValidateOptionsResult Validate(string? name, UpstreamSettings options)
        {
            var problems = options.CheckFiles(dataDirectory.Root);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail((IEnumerable<string>)problems);
        }
    }
}
