using System;
using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// Asks OpenSSL to free a connection's TLS record buffers while the connection is idle
/// (<c>SSL_MODE_RELEASE_BUFFERS</c>), as Mosquitto, nginx and CPython do. Without it every
/// <see cref="SslStream"/> on Linux keeps a 16.2 KB read and a 16.2 KB write buffer inside
/// OpenSSL for its whole life: measured here, 58 KB of OpenSSL memory per idle mutual-TLS
/// connection without the mode, 26 KB with it (ADR 0009).
/// </summary>
/// <remarks>
/// .NET has no public API for the mode (the runtime's shim never sets it), so this reaches the
/// connection's <c>SSL*</c> through <see cref="SslStream"/>'s private <c>_securityContext</c>
/// (a <c>SafeSslHandle</c> on Linux, .NET 8 to 10) and calls <c>SSL_ctrl</c> in the same
/// libssl.so.3 the runtime loaded (checked in /proc/self/maps). Everything is checked: another
/// platform, another runtime layout or another OpenSSL major version makes <see cref="TryRelease"/> return false and the
/// connection simply keeps its buffers (the behaviour before this class). It is called once,
/// right after the handshake and before the stream's first read or write, so no other thread
/// touches the <c>SSL</c> then; afterwards SslStream itself serializes SSL_read and SSL_write
/// under one lock (its EncryptData and DecryptData), so freeing and re-allocating a buffer
/// inside OpenSSL never races another call on the same connection.
/// </remarks>
internal static partial class TlsRecordBuffers
{
    // openssl/ssl.h: SSL_CTRL_MODE and SSL_MODE_RELEASE_BUFFERS (stable since OpenSSL 1.0).
    private const int SslCtrlMode = 33;
    private const long SslModeReleaseBuffers = 0x10;

    private static readonly FieldInfo? SecurityContextField = FindSecurityContextField();
    private static readonly Lazy<bool> NativeAvailable = new(ProbeNative);

    /// <summary>Whether this process can release record buffers (Linux, the expected SslStream layout, libssl.so.3).</summary>
    public static bool IsSupported => SecurityContextField is not null && NativeAvailable.Value;

    /// <summary>
    /// Sets <c>SSL_MODE_RELEASE_BUFFERS</c> on the authenticated <paramref name="stream"/>; true
    /// when the mode is now set (read back from OpenSSL), false when this runtime or platform
    /// does not allow it. Call it after the handshake, before the first read or write.
    /// </summary>
    public static bool TryRelease(SslStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Apply(stream, set: true);
    }

    /// <summary>Whether <c>SSL_MODE_RELEASE_BUFFERS</c> is set on <paramref name="stream"/> (false when it cannot be read).</summary>
    public static bool IsReleasing(SslStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Apply(stream, set: false);
    }

    private static bool Apply(SslStream stream, bool set)
    {
        if (!IsSupported || !stream.IsAuthenticated || SecurityContextField!.GetValue(stream) is not SafeHandle context || context.IsInvalid || context.IsClosed)
        {
            return false;
        }

        var added = false;
        try
        {
            context.DangerousAddRef(ref added);
            var ssl = context.DangerousGetHandle();
            var mode = set ? NativeMethods.SSL_ctrl(ssl, SslCtrlMode, SslModeReleaseBuffers, IntPtr.Zero) : NativeMethods.SSL_ctrl(ssl, SslCtrlMode, 0, IntPtr.Zero);
            return (mode & SslModeReleaseBuffers) != 0;
        }
        catch (ObjectDisposedException)
        {
            // The connection closed meanwhile: nothing to release.
            return false;
        }
        finally
        {
            if (added)
            {
                context.DangerousRelease();
            }
        }
    }

    private static FieldInfo? FindSecurityContextField()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // Only the layout this was written against: a SafeHandle whose handle is the SSL*.
        var field = typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance);
        var ssl = typeof(SslStream).Assembly.GetType("Microsoft.Win32.SafeHandles.SafeSslHandle");
        return field is not null && ssl is not null && field.FieldType.IsAssignableFrom(ssl) && typeof(SafeHandle).IsAssignableFrom(ssl) ? field : null;
    }

    private static bool ProbeNative()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // The SSL* must be called through the libssl the runtime itself uses: a libssl.so.3 of
        // ours on an object of a runtime bound to OpenSSL 1.1 (DOTNET_OPENSSL_VERSION_OVERRIDE,
        // an old distribution) would corrupt memory. Any cryptographic call makes the runtime
        // load its OpenSSL; then its mapped libssl must be libssl.so.3 and no other.
        using (System.Security.Cryptography.SHA256.Create())
        {
        }

        if (!RuntimeUsesLibSsl3() || !NativeLibrary.TryLoad(NativeMethods.LibSsl, out var library))
        {
            return false;
        }

        try
        {
            // libssl.so.3 is OpenSSL 3 (Debian 12, Raspberry Pi OS bookworm); the SSL_ctrl
            // constants above are those of its headers.
            return NativeLibrary.TryGetExport(library, "SSL_ctrl", out _);
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    private static bool RuntimeUsesLibSsl3()
    {
        var three = false;
        try
        {
            foreach (var line in System.IO.File.ReadLines("/proc/self/maps"))
            {
                var name = line.AsSpan(line.LastIndexOf('/') + 1);
                if (!name.StartsWith("libssl.so", StringComparison.Ordinal))
                {
                    continue;
                }

                if (!name.SequenceEqual("libssl.so.3"))
                {
                    return false;
                }

                three = true;
            }
        }
        catch (System.IO.IOException)
        {
            return false;
        }

        return three;
    }

    private static partial class NativeMethods
    {
        public const string LibSsl = "libssl.so.3";

        [LibraryImport(LibSsl)]
        public static partial long SSL_ctrl(IntPtr ssl, int command, long larg, IntPtr parg);
    }
}
