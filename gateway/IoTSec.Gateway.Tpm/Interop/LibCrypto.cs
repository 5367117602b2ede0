using System.Runtime.InteropServices;

namespace IoTSec.Gateway.Tpm.Interop;

/// <summary>
/// The few OpenSSL 3 calls .NET does not expose: loading a provider and reading its
/// "version" parameter (libcrypto.so.3, the library .NET itself uses on Debian 12).
/// </summary>
internal static partial class LibCrypto
{
    public const string Library = "libcrypto.so.3";

    /// <summary>OSSL_PARAM_UTF8_PTR (openssl/core.h).</summary>
    public const uint ParamUtf8Pointer = 6;

    /// <summary>
    /// retainFallbacks = 1 matters: loading a provider explicitly into the default library
    /// context otherwise disables the automatic loading of the default provider, and every
    /// other cryptographic operation of the process would fail.
    /// </summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint OSSL_PROVIDER_try_load(nint libraryContext, string name, int retainFallbacks);

    [LibraryImport(Library)]
    public static partial int OSSL_PROVIDER_get_params(nint provider, nint parameters);

    [LibraryImport(Library)]
    public static partial void ERR_clear_error();

    [LibraryImport(Library)]
    public static partial ulong ERR_get_error();

    [LibraryImport(Library)]
    public static partial void ERR_error_string_n(ulong error, nint buffer, nuint length);

    /// <summary>OSSL_PARAM (openssl/core.h): key, data_type, data, data_size, return_size.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OsslParam
    {
        public nint Key;
        public uint DataType;
        public nint Data;
        public nuint DataSize;
        public nuint ReturnSize;
    }
}
