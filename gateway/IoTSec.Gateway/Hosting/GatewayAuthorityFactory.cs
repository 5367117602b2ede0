using System.IO;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Assembles the gateway's issuing authority: the root and intermediate installed after the CA
/// ceremony when they exist, else — when the configuration allows it — the development PKI
/// in the data directory, announced with <see cref="DevelopmentPki.Warning"/> at every start.
/// </summary>
internal static partial class GatewayAuthorityFactory
{
    /// <summary>Where the development PKI lives in the data directory.</summary>
    public const string DevelopmentDirectory = "dev-pki";

    public static GatewayCertificateAuthority Open(PkiSettings settings, GatewayDataDirectory dataDirectory, IGatewayKeyStore keyStore, AuditLog audit, ILogger logger)
    {
        var rootPath = Resolve(dataDirectory, settings.RootCertificate);
        var intermediatePath = Resolve(dataDirectory, settings.IntermediateCertificate);
        if (File.Exists(rootPath) || File.Exists(intermediatePath))
        {
            var installed = GatewayCertificateAuthority.Load(rootPath, intermediatePath, keyStore);
            LogInstalled(logger, installed.Intermediate.Subject, installed.Intermediate.NotAfter.ToUniversalTime().ToString("u"), installed.Root.Subject);
            return installed;
        }

        if (!settings.AllowDevelopmentPki)
        {
            throw new GatewayPkiException(
                $"no gateway intermediate is installed ({rootPath}, {intermediatePath}): run the CA ceremony (docs/operations.md), " +
                "or allow the development PKI with IoTSec:Pki:AllowDevelopmentPki=true");
        }

        if (keyStore.IsHardwareBacked && !keyStore.Exists(GatewayKeyRole.DeviceCa))
        {
            throw new GatewayKeyStoreException("the DeviceCa key is not in the TPM; create the keys with `iotsec-gateway keys init`");
        }

        var result = DevelopmentPki.EnsureCreated(Path.Combine(dataDirectory.Root, DevelopmentDirectory), keyStore, settings.GatewayName);
        if (result.CreatedDeviceCaKey)
        {
            GatewayKeyStoreFactory.RecordCreated(audit, logger, keyStore, GatewayKeyRole.DeviceCa);
        }

        if (result.CreatedRoot)
        {
            LogCreatedRoot(logger, result.RootCertificatePath);
        }

        if (result.IssuedIntermediate)
        {
            LogIssuedIntermediate(logger, result.Authority.Intermediate.Subject);
        }

        LogDevelopment(logger, DevelopmentPki.Warning, result.RootCertificatePath);
        return result.Authority;
    }

    private static string Resolve(GatewayDataDirectory dataDirectory, string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(dataDirectory.Root, path);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "PKI: intermediate '{Intermediate}' (until {NotAfter}) under root '{Root}'")]
    private static partial void LogInstalled(ILogger logger, string intermediate, string notAfter, string root);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "created a DEVELOPMENT root CA at {Path} (first start)")]
    private static partial void LogCreatedRoot(ILogger logger, string path);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "signed a development intermediate '{Subject}'")]
    private static partial void LogIssuedIntermediate(ILogger logger, string subject);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "{Warning} (trust anchor for development devices: {RootPath})")]
    private static partial void LogDevelopment(ILogger logger, string warning, string rootPath);
}
