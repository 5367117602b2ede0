using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Est;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Composes the daemon: configuration (embedded defaults, then IOTSEC__… environment
/// variables, then command-line overrides), logging (journald through systemd's console
/// format when run by systemd), the gateway core (audit log, inventory, key store, issuing
/// authority, server certificate rotation, heartbeat secret) and its adapters (today the EST
/// service; the device-edge issue adds the broker to the same host). No domain logic here.
/// </summary>
internal static partial class GatewayHost
{
    /// <summary>The category of the start-up log lines.</summary>
    public const string LogCategory = "IoTSec.Gateway";

    /// <summary>
    /// Builds the host and opens every component (so a bad configuration, a missing key or an
    /// unreadable file stops the start with its own message rather than at the first request).
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the failures name it.</exception>
    public static WebApplication Build(GatewayDataDirectory dataDirectory, IReadOnlyList<string> configurationArguments)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(configurationArguments);
        var builder = EstWebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "iotsec-gateway",
            ContentRootPath = dataDirectory.Root,
        });

        builder.Configuration
            .AddInMemoryCollection(GatewayDefaults.Values)
            .AddEnvironmentVariables()
            .AddCommandLine(configurationArguments.ToArray());
        builder.Logging
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
            });

        var services = builder.Services;
        services.AddSystemd();
        services.AddSingleton(dataDirectory);
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddOptions<EstOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.SectionName + ":" + EstOptions.SectionName));
        AddCore(services, dataDirectory);
        services.AddEstService();
        services.AddHostedService<ServerCertificateRotation>();
        services.AddHostedService<RevocationPolling>();

        var app = builder.Build();
        try
        {
            app.MapEst();
            Open(app);
            app.Lifetime.ApplicationStarted.Register(() => LogListening(app));
            return app;
        }
        catch
        {
            // Closes what was opened (databases, keys) before the error is reported.
            ((IDisposable)app).Dispose();
            throw;
        }
    }

    private static void AddCore(IServiceCollection services, GatewayDataDirectory dataDirectory)
    {
        services.AddSingleton(_ => AuditLog.Open(dataDirectory));
        services.AddSingleton(provider => DeviceInventory.Open(dataDirectory.InventoryDatabase, audit: provider.GetRequiredService<AuditLog>()));
        services.AddSingleton(provider => GatewayKeyStoreFactory.Open(
            Options(provider).KeyStore, dataDirectory, provider.GetRequiredService<AuditLog>(), Logger(provider)));
        services.AddSingleton(provider => GatewayAuthorityFactory.Open(
            Options(provider).Pki, dataDirectory, provider.GetRequiredService<IGatewayKeyStore>(), provider.GetRequiredService<AuditLog>(), Logger(provider)));
        services.AddSingleton(provider => new DeviceCertificateIssuer(
            provider.GetRequiredService<GatewayCertificateAuthority>(),
            new DeviceCertificateOptions { Validity = Options(provider).Pki.DeviceCertificateValidity }));
        services.AddSingleton(provider => new ServerCertificateRotator(
            provider.GetRequiredService<DeviceCertificateIssuer>(), ServerCertificateOptionsOf(Options(provider).Pki)));
        services.AddSingleton(provider => OpenHeartbeatSecret(provider.GetRequiredService<IGatewayKeyStore>(), Logger(provider)));
        services.AddSingleton(provider => BirthValidator(Options(provider).Pki, dataDirectory, provider.GetRequiredService<GatewayCertificateAuthority>(), Logger(provider)));
    }

    // Validates the options, then resolves every component now, in dependency order. (The
    // EST options are validated already: Kestrel's listener is configured when the host is built.)
    private static void Open(WebApplication app)
    {
        _ = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<EstOptions>>().Value;
        _ = app.Services.GetRequiredService<EnrolmentService>();
        _ = app.Services.GetRequiredService<EstTlsHandshake>();
    }

    private static ServerCertificateOptions ServerCertificateOptionsOf(PkiSettings pki)
    {
        var dnsNames = pki.ServerDnsNames.ToList();
        var addresses = pki.ServerIpAddresses.Select(IPAddress.Parse).ToList();
        if (dnsNames.Count == 0 && addresses.Count == 0)
        {
            dnsNames.Add("localhost");
            addresses.Add(IPAddress.Loopback);
            addresses.Add(IPAddress.IPv6Loopback);
        }

        return new ServerCertificateOptions
        {
            CommonName = pki.GatewayName,
            DnsNames = dnsNames,
            IpAddresses = addresses,
            Validity = pki.ServerCertificateValidity,
        };
    }

    private static HeartbeatSecret OpenHeartbeatSecret(IGatewayKeyStore keyStore, ILogger logger)
    {
        var secret = HeartbeatSecret.Open(keyStore.Sealer);
        if (secret.Created)
        {
            LogSecretCreated(logger, keyStore.Backend);
        }

        if (secret.UnavailableReason is { } reason)
        {
            LogSecretUnavailable(logger, reason);
        }

        return secret;
    }

    private static BirthCertificateValidator BirthValidator(PkiSettings pki, GatewayDataDirectory dataDirectory, GatewayCertificateAuthority authority, ILogger logger)
    {
        var anchors = pki.BirthTrustAnchors
            .Select(path => PemCertificateFile.Load(Path.IsPathRooted(path) ? path : Path.Combine(dataDirectory.Root, path)))
            .ToList();
        if (anchors.Count == 0)
        {
            anchors.Add(authority.Root);
        }

        LogBirthAnchors(logger, string.Join("; ", anchors.Select(anchor => anchor.Subject)));
        return new BirthCertificateValidator(anchors);
    }

    private static void LogListening(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        LogReady(Logger(app.Services), string.Join(", ", addresses), app.Services.GetRequiredService<GatewayDataDirectory>().Root);
    }

    private static GatewayOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<GatewayOptions>>().Value;

    private static ILogger Logger(IServiceProvider provider) => provider.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "created the gateway heartbeat secret, sealed by the {Backend} key store (first start)")]
    private static partial void LogSecretCreated(ILogger logger, string backend);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "the gateway heartbeat secret stays sealed ({Reason}): heartbeat-key requests get 503 until the gateway is re-armed")]
    private static partial void LogSecretUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "birth certificates accepted from: {Anchors}")]
    private static partial void LogBirthAnchors(ILogger logger, string anchors);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Information, Message = "EST listening on {Addresses} (data directory {DataDirectory})")]
    private static partial void LogReady(ILogger logger, string addresses, string dataDirectory);
}
