using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Forwarder;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Forwarder;

[TestClass]
public sealed class UpstreamClientIdentityTests
{
    [TestMethod]
    public void TheIssuedCertificateIsAShortLivedClientCertificateOfTheGatewayCaRenewedAfterTwoThirds()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        using var hierarchy = TestHierarchy.Create(gatewayName: "gw-rot");
        using var identity = UpstreamClientIdentity.Issued(hierarchy.Authority, "gw-rot", TimeSpan.FromHours(3), clock);
        var first = identity.Certificate;

        Assert.AreEqual("CN=gw-rot", first.Subject);
        Assert.IsTrue(first.HasPrivateKey);
        Assert.AreEqual(hierarchy.Intermediate.Subject, first.Issuer);
        Assert.IsTrue(first.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == "1.3.6.1.5.5.7.3.2"), "clientAuth");
        Assert.AreEqual(2, identity.GetCertificates().Count, "the leaf and the intermediate go in the handshake");
        Assert.IsFalse(identity.RenewDue);

        clock.Advance(TimeSpan.FromHours(1.9));
        Assert.IsFalse(identity.RenewDue);
        clock.Advance(TimeSpan.FromHours(0.2));
        Assert.IsTrue(identity.RenewDue, "two thirds of three hours have passed");

        identity.Renew();
        Assert.IsFalse(identity.RenewDue);
        Assert.AreNotEqual(first.SerialNumber, identity.Certificate.SerialNumber);
        Assert.AreNotEqual(first.GetPublicKeyString(), identity.Certificate.GetPublicKeyString(), "a fresh key each time");
    }

    [TestMethod]
    public void BackoffDoublesWithJitterUpToTheMaximumAndStartsOverAfterASuccess()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(3));
        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next().TotalSeconds).ToList();

        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = Math.Min(30, Math.Pow(2, i));
            Assert.IsTrue(delays[i] >= ceiling / 2 && delays[i] <= ceiling, $"attempt {i}: {delays[i]} s not in [{ceiling / 2}, {ceiling}]");
        }

        Assert.IsGreaterThan(1, delays.Skip(5).Distinct().Count(), "jittered, not lockstep");
        backoff.Reset();
        Assert.IsLessThanOrEqualTo(1.0, backoff.Next().TotalSeconds);
    }

    [TestMethod]
    public void TheDefaultSettingsAreValidAndDisabledAndAHostNeedsACa()
    {
        var defaults = new UpstreamSettings();
        Assert.IsFalse(defaults.Enabled);
        Assert.IsEmpty(defaults.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(defaults)).ToList());
        Assert.AreEqual("iotsec/v1/gw/gw-1/records", defaults.RecordsTopicFor("gw-1"));
        Assert.AreEqual("iotsec/v1/gw/gw-1/requests", defaults.RequestTopicFor("gw-1"));

        var withHost = new UpstreamSettings { Host = "mqtt.example.net", RequestTopic = "none" };
        Assert.IsNull(withHost.RequestTopicFor("gw-1"));
        var problem = withHost.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(withHost)).Single();
        CollectionAssert.AreEqual(new[] { nameof(UpstreamSettings.CaFile) }, problem.MemberNames.ToArray());
    }
}
