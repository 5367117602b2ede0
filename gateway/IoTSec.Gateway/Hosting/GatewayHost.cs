using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using IoTSec.Gateway.Broker;
using IoTSec.Gateway.Configuration;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Core.Posture;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Forwarder;
using IoTSec.Gateway.Hardware;
using IoTSec.Gateway.Metrics;
using IoTSec.Gateway.Systemd;
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
/// Composes the daemon: configuration (embedded defaults, then the YAML file, then IOTSEC__…
/// environment variables, then command-line overrides; every key under IoTSec known, every
/// section validated), logging (journald through systemd's console format when run by
/// systemd), systemd notification and watchdog, Prometheus metrics on the loopback, the
/// gateway core (audit log, inventory, key store, issuing authority, server certificate
/// rotation, heartbeat secret) and its adapters (the EST service, the device broker, and the
/// upstream forwarder with its durable spool). No domain logic here.
/// </summary>
internal static partial class GatewayHost
{
    /// <summary>The category of the start-up log lines.</summary>
    public const string LogCategory = "IoTSec.Gateway";

    /// <summary>
    /// Builds the host and opens every component (so a bad configuration, a missing key or an
    /// unreadable file stops the start with its own message rather than at the first request).
    /// </summary>
    /// <param name="dataDirectory">Where keys, inventory and audit log live.</param>
    /// <param name="configurationArguments">Command-line overrides (<c>--IoTSec:Est:Port=9443</c>).</param>
    /// <param name="configurationFile">The YAML file (<see cref="GatewayConfigurationFile.Load"/>); null: none.</param>
    /// <exception cref="GatewayConfigurationException">A setting is unknown or invalid; each problem names the key and where it was set.</exception>
    public static WebApplication Build(GatewayDataDirectory dataDirectory, IReadOnlyList<string> configurationArguments, YamlConfigurationFile? configurationFile = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(configurationArguments);
        var builder = EstWebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "iotsec-gateway",
            ContentRootPath = dataDirectory.Root,
        });

        builder.Configuration.AddGatewayLayers(configurationFile, configurationArguments);
        var configuration = builder.Configuration;
        builder.Logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
            });

        var services = builder.Services;
        services.AddGatewaySystemd();
        services.AddSingleton(dataDirectory);
        // One line per options type: binds it, validates it at start, makes its keys known.
        services.AddGatewaySection<GatewayOptions>(configuration, string.Empty);
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddGatewaySection<EstOptions>(configuration, EstOptions.SectionName);
        AddCore(services, dataDirectory);
        services.AddEstService();
        services.AddGatewaySectionKeys<TamperSettings>("Tamper");
        services.AddTamperMonitor(configuration.GetSection(TamperSettings.SectionName));
        AddDeviceEdge(services, configuration);
        services.AddGatewayMetrics(configuration);
        services.AddHostedService<ServerCertificateRotation>();
        services.AddHostedService<RevocationPolling>();
        services.AddSingleton<IGatewayHealthCheck>(provider => ServerCertificateHealth(provider.GetRequiredService<ServerCertificateRotator>()));
        services.AddSingleton<IGatewayHealthCheck>(DataDirectoryHealth(dataDirectory));

        var sections = services
            .Where(service => service.ServiceType == typeof(ConfigurationSectionRegistration))
            .Select(service => (ConfigurationSectionRegistration)service.ImplementationInstance!)
            .ToList();
        var unknown = ConfigurationKeyCheck.UnknownKeys(configuration, sections);
        if (unknown.Count > 0)
        {
            throw new GatewayConfigurationException([.. unknown.Select(key => ConfigurationErrors.UnknownKey(key, configuration))]);
        }

        WebApplication? app = null;
        try
        {
            app = builder.Build();
            app.MapEst();
            Open(app);
            LogConfigurationFile(Logger(app.Services), configurationFile?.Path
                ?? $"none ({GatewayConfigurationFile.DefaultPath} does not exist): embedded defaults, environment and command line");
            app.Lifetime.ApplicationStarted.Register(() => LogListening(app));
            return app;
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            // Closes what was opened (databases, keys) before the error is reported.
            ((IDisposable?)app)?.Dispose();
            var problems = e switch
            {
                OptionsValidationException validation => ConfigurationErrors.Problems(validation, configuration, sections),
                InvalidOperationException conversion when ConfigurationErrors.ConversionProblem(conversion, configuration) is { } problem => [problem],
                _ => null,
            };
            if (problems is null)
            {
                throw;
            }

            throw new GatewayConfigurationException(problems);
        }
        catch
        {
            ((IDisposable?)app)?.Dispose();
            throw;
        }
    }

    // The device edge: allowlist, posture, alerts and quarantine over the connected devices.
    private static void AddDeviceEdge(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ConnectedDevices>();
        services.AddSingleton<IQuarantine>(provider => new DeviceQuarantine(
            provider.GetRequiredService<DeviceInventory>(), provider.GetRequiredService<ConnectedDevices>()));
        // The durable spool is the upstream queue; the forwarder drains it when a host is set.
        services.AddGatewaySection<UpstreamSettings>(configuration, UpstreamSettings.SectionName);
        services.AddUpstreamForwarder(provider => Options(provider).Pki.GatewayName);
        services.AddGatewaySectionKeys<PolicySettings>("Policy");
        services.AddTrafficPolicy(configuration);
        services.AddGatewaySectionKeys<PostureSettings>("Posture");
        services.AddPosture(configuration);
        services.AddGatewaySection<BrokerSettings>(configuration, BrokerSettings.SectionName);
        services.AddDeviceBroker();
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
        _ = app.Services.GetRequiredService<IOptions<TamperSettings>>().Value;
        // A tamper flag left by an earlier run latches PCR 23 again before anything unseals.
        app.Services.RestoreTamperLatch();
        _ = app.Services.GetRequiredService<IOptions<EstOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<PolicySettings>>().Value;
        _ = app.Services.GetRequiredService<IOptions<PostureSettings>>().Value;
        _ = app.Services.GetRequiredService<ITrafficPolicy>();
        _ = app.Services.GetRequiredService<IHeartbeatProcessor>();
        _ = app.Services.GetRequiredService<IOptions<BrokerSettings>>().Value;
        _ = app.Services.GetRequiredService<IOptions<UpstreamSettings>>().Value;
        _ = app.Services.GetRequiredService<UpstreamForwarder>();
        _ = app.Services.GetRequiredService<DeviceBroker>();
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

    // An expired TLS server certificate means no device can connect: rotation has failed for
    // a third of its lifetime, and a restart (which reissues it at start) is the remedy.
    private static GatewayHealthCheck ServerCertificateHealth(ServerCertificateRotator rotator) => new("TLS server certificate", () =>
    {
        var notAfter = rotator.Current.NotAfter.ToUniversalTime();
        return notAfter <= DateTime.UtcNow ? $"expired at {notAfter:u}" : null;
    });

    // The inventory and the audit log live there: a card that failed or was remounted elsewhere
    // leaves a gateway that can record nothing, which a restart turns into a visible failure.
    private static GatewayHealthCheck DataDirectoryHealth(GatewayDataDirectory dataDirectory) => new("data directory", () =>
        File.Exists(dataDirectory.InventoryDatabase) ? null : $"{dataDirectory.InventoryDatabase} is gone");

    private static GatewayOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<GatewayOptions>>().Value;

    private static ILogger Logger(IServiceProvider provider) => provider.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "created the gateway heartbeat secret, sealed by the {Backend} key store (first start)")]
    private static partial void LogSecretCreated(ILogger logger, string backend);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "the gateway heartbeat secret stays sealed ({Reason}): heartbeat-key requests get 503 until the gateway is re-armed")]
    private static partial void LogSecretUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "birth certificates accepted from: {Anchors}")]
    private static partial void LogBirthAnchors(ILogger logger, string anchors);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Information, Message = "configuration file: {File}")]
    private static partial void LogConfigurationFile(ILogger logger, string file);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Information, Message = "EST listening on {Addresses} (data directory {DataDirectory})")]
    private static partial void LogReady(ILogger logger, string addresses, string dataDirectory);
}
