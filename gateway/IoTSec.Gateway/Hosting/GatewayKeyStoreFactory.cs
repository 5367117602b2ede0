using System;
using System.IO;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Tpm;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// Opens the configured key store. The software backend (allowed only by configuration) is
/// announced with <see cref="SoftwareKeyStore.Warning"/> at every start and makes its missing
/// keys on the first; the TPM backend creates nothing (that is <c>iotsec-gateway keys init</c>).
/// </summary>
internal static partial class GatewayKeyStoreFactory
{
    public static IGatewayKeyStore Open(KeyStoreSettings settings, GatewayDataDirectory dataDirectory, AuditLog audit, ILogger logger)
    {
        if (settings.IsSoftware)
        {
            var store = new SoftwareKeyStore(Path.Combine(dataDirectory.Root, "keys"), settings.AllowSoftwareKeys);
            LogSoftwareKeys(logger, SoftwareKeyStore.Warning, store.Directory);
            if (!store.Exists(GatewayKeyRole.Identity))
            {
                store.Create(GatewayKeyRole.Identity);
                RecordCreated(audit, logger, store, GatewayKeyRole.Identity);
            }

            return store;
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new GatewayKeyStoreException("the TPM backend needs Linux (tpm2-tss and the OpenSSL tpm2 provider)");
        }

        KeyStoreSettings.TryParseHandle(settings.IdentityHandle, out var identity);
        KeyStoreSettings.TryParseHandle(settings.DeviceCaHandle, out var deviceCa);
        var tpm = new TpmKeyStore(new TpmKeyStoreOptions
        {
            Tcti = settings.Tcti,
            IdentityHandle = identity,
            DeviceCaHandle = deviceCa,
            SealedSecretsDirectory = Path.Combine(dataDirectory.Root, "sealed"),
        });
        try
        {
            foreach (var role in new[] { GatewayKeyRole.Identity, GatewayKeyRole.DeviceCa })
            {
                if (!tpm.Exists(role))
                {
                    throw new GatewayKeyStoreException(
                        $"the {role} key is not in the TPM at 0x{tpm.HandleOf(role):x8} (TCTI {tpm.Tcti}); create the keys with `iotsec-gateway keys init`");
                }
            }

            LogTpmKeys(logger, tpm.Tcti, tpm.Provider.ToString());
            return tpm;
        }
        catch
        {
            tpm.Dispose();
            throw;
        }
    }

    /// <summary>Logs and audits a key the gateway made at start.</summary>
    public static void RecordCreated(AuditLog audit, ILogger logger, IGatewayKeyStore store, GatewayKeyRole role)
    {
        LogKeyCreated(logger, role.ToString(), store.Backend);
        audit.Append(AuditEventKind.KeyCreated, "system", role.ToString(), new JsonObject
        {
            ["backend"] = store.Backend,
            ["hardwareBacked"] = store.IsHardwareBacked,
            ["publicKeySha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(store.ExportSubjectPublicKeyInfo(role))),
        });
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "{Warning} (key directory {Directory})")]
    private static partial void LogSoftwareKeys(ILogger logger, string warning, string directory);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "key store: TPM through {Tcti}, {Provider}")]
    private static partial void LogTpmKeys(ILogger logger, string tcti, string provider);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "created the {Role} key in the {Backend} key store (first start)")]
    private static partial void LogKeyCreated(ILogger logger, string role, string backend);
}
