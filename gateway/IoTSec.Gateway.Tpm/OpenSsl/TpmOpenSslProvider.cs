using System;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Tpm.Interop;

namespace IoTSec.Gateway.Tpm.OpenSsl;

/// <summary>
/// The OpenSSL 3 "tpm2" provider (Debian tpm2-openssl) in this process. Two process-wide
/// facts shape it:
/// <list type="bullet">
/// <item>The provider reads TPM2OPENSSL_TCTI with getenv(3) once, when OpenSSL first loads it,
/// so a process can talk to one TPM through it: <see cref="Bind"/> sets the variable before
/// first use and refuses a second, different TCTI.</item>
/// <item>tpm2-openssl before 1.3.0 shares one ESYS context between all keys without locking;
/// two threads signing at once fail with "Esys called in bad sequence". Every call into the
/// provider therefore takes <see cref="Gate"/>: one serialized worker for the whole process.</item>
/// </list>
/// </summary>
[SupportedOSPlatform("linux")]
internal static class TpmOpenSslProvider
{
    public const string ProviderName = "tpm2";
    public const string TctiVariable = "TPM2OPENSSL_TCTI";

    /// <summary>Held around every call that reaches the provider (open, sign, free).</summary>
    public static readonly object Gate = new();

    private static readonly object BindLock = new();
    private static string? _boundTcti;
    private static TpmProviderInfo? _info;

    /// <summary>The TCTI the provider is bound to in this process, if any.</summary>
    public static string? BoundTcti
    {
        get
        {
            lock (BindLock)
            {
                return _boundTcti;
            }
        }
    }

    /// <summary>Points the provider at <paramref name="tcti"/> before its first use in this process.</summary>
    /// <exception cref="GatewayKeyStoreException">Already bound to another TCTI.</exception>
    public static void Bind(string tcti)
    {
        lock (BindLock)
        {
            if (_boundTcti is null)
            {
                Environment.SetEnvironmentVariable(TctiVariable, tcti);
                if (LibC.SetEnv(TctiVariable, tcti, 1) != 0)
                {
                    throw new GatewayKeyStoreException($"setenv({TctiVariable}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
                }

                _boundTcti = tcti;
            }
            else if (!string.Equals(_boundTcti, tcti, StringComparison.Ordinal))
            {
                throw new GatewayKeyStoreException(
                    $"the OpenSSL tpm2 provider of this process is bound to TCTI \"{_boundTcti}\"; it cannot also use \"{tcti}\" (the provider reads {TctiVariable} once)");
            }
        }
    }

    /// <summary>Opens the persistent key at <paramref name="handle"/> through the provider.</summary>
    /// <exception cref="CryptographicException">The provider is missing, the TPM unreachable, or no key is there.</exception>
    public static SafeEvpPKeyHandle OpenPersistentKey(uint handle)
    {
        lock (Gate)
        {
            return SafeEvpPKeyHandle.OpenKeyFromProvider(ProviderName, $"handle:0x{handle:x8}");
        }
    }

    /// <summary>The provider's version, read once (loading it binds it to the current TCTI).</summary>
    public static TpmProviderInfo Info
    {
        get
        {
            lock (BindLock)
            {
                return _info ??= ReadInfo();
            }
        }
    }

    private static unsafe TpmProviderInfo ReadInfo()
    {
        // Let .NET initialise OpenSSL (and its default provider) first, so loading "tpm2" is
        // one more provider beside it, as OpenKeyFromProvider does.
        SHA256.HashData([]);
        lock (Gate)
        {
            try
            {
                LibCrypto.ERR_clear_error();
                var provider = LibCrypto.OSSL_PROVIDER_try_load(0, ProviderName, 1);
                if (provider == 0)
                {
                    return new TpmProviderInfo(null, "OSSL_PROVIDER_try_load(\"tpm2\") failed: " + LastOpenSslError() +
                        " (Debian package tpm2-openssl; is the TPM reachable through " + TctiVariable + "?)");
                }

                var key = Marshal.StringToCoTaskMemUTF8("version");
                try
                {
                    nint value = 0;
                    var parameters = stackalloc LibCrypto.OsslParam[2];
                    parameters[0] = new LibCrypto.OsslParam
                    {
                        Key = key,
                        DataType = LibCrypto.ParamUtf8Pointer,
                        Data = (nint)(&value),
                        DataSize = (nuint)sizeof(nint),
                    };
                    parameters[1] = default;
                    if (LibCrypto.OSSL_PROVIDER_get_params(provider, (nint)parameters) != 1 || value == 0)
                    {
                        return new TpmProviderInfo(null, "the tpm2 provider did not report its version: " + LastOpenSslError());
                    }

                    return new TpmProviderInfo(Marshal.PtrToStringUTF8(value), null);
                }
                finally
                {
                    Marshal.FreeCoTaskMem(key);
                    LibCrypto.ERR_clear_error();
                }
            }
            catch (DllNotFoundException e)
            {
                return new TpmProviderInfo(null, "libcrypto.so.3 not found: " + e.Message);
            }
        }
    }

    private static unsafe string LastOpenSslError()
    {
        var error = LibCrypto.ERR_get_error();
        if (error == 0)
        {
            return "no OpenSSL error reported";
        }

        var buffer = stackalloc byte[256];
        LibCrypto.ERR_error_string_n(error, (nint)buffer, 256);
        return Marshal.PtrToStringUTF8((nint)buffer) ?? $"OpenSSL error 0x{error:x}";
    }
}
