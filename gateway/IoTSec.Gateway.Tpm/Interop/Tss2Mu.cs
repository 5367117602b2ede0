using System;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace IoTSec.Gateway.Tpm.Interop;

/// <summary>
/// The marshalling library of tpm2-tss (libtss2-mu, Debian libtss2-mu0). Each TPM type T has
/// <c>Tss2_MU_T_Marshal(const T *src, uint8_t buffer[], size_t size, size_t *offset)</c> and
/// <c>Tss2_MU_T_Unmarshal(const uint8_t buffer[], size_t size, size_t *offset, T *dest)</c>;
/// they are looked up by type name so one pair of calls serves every structure.
/// </summary>
internal static unsafe class Tss2Mu
{
    public const string Library = "libtss2-mu.so.0";

    private static readonly Lazy<nint> Handle = new(() => NativeLibrary.Load(Library));
    private static readonly ConcurrentDictionary<string, nint> Exports = new(StringComparer.Ordinal);

    /// <summary>Wire bytes → native structure at <paramref name="destination"/>; returns the TSS2_RC.</summary>
    public static uint Unmarshal(string typeName, ReadOnlySpan<byte> wire, void* destination, out nuint consumed)
    {
        var function = (delegate* unmanaged<byte*, nuint, nuint*, void*, uint>)Export(typeName + "_Unmarshal");
        nuint offset = 0;
        uint rc;
        fixed (byte* source = wire)
        {
            rc = function(source, (nuint)wire.Length, &offset, destination);
        }

        consumed = offset;
        return rc;
    }

    /// <summary>Native structure at <paramref name="source"/> → wire bytes; returns the TSS2_RC.</summary>
    public static uint Marshal(string typeName, void* source, Span<byte> wire, out nuint written)
    {
        var function = (delegate* unmanaged<void*, byte*, nuint, nuint*, uint>)Export(typeName + "_Marshal");
        nuint offset = 0;
        uint rc;
        fixed (byte* destination = wire)
        {
            rc = function(source, destination, (nuint)wire.Length, &offset);
        }

        written = offset;
        return rc;
    }

    private static nint Export(string name) =>
        Exports.GetOrAdd(name, static n => NativeLibrary.GetExport(Handle.Value, "Tss2_MU_" + n));
}
