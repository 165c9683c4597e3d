"""Every URL of a user pool domain, for prefix and custom domains in each partition (no AWS, no moto)."""

from __future__ import annotations

import json

import pytest

from resources.hosted_ui import (
    Partition,
    client_logout_url,
    domain_base_url,
    endpoint_urls,
    federation_urls,
    issuer_url,
    region_partition,
)

POOL = "us-east-1_AbC123"


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", Partition("aws", "amazonaws.com")),
        ("eu-central-1", Partition("aws", "amazonaws.com")),
        ("cn-north-1", Partition("aws-cn", "amazonaws.com.cn")),
        ("cn-northwest-1", Partition("aws-cn", "amazonaws.com.cn")),
        ("us-gov-west-1", Partition("aws-us-gov", "amazonaws.com")),
        ("us-gov-east-1", Partition("aws-us-gov", "amazonaws.com")),
        ("us-iso-east-1", Partition("aws-iso", "c2s.ic.gov")),
        # Not yet listed by name: matched by the partition's region pattern.
        ("eu-future-9", Partition("aws", "amazonaws.com")),
        ("cn-future-9", Partition("aws-cn", "amazonaws.com.cn")),
    ],
)
def test_region_partition_comes_from_botocore_partition_data(region: str, partition: Partition) -> None:
    assert region_partition(region) == partition


@pytest.mark.parametrize(
    ("domain", "region", "base_url"),
    [
        ("notes-app-dev", "us-east-1", "https://notes-app-dev.auth.us-east-1.amazoncognito.com"),
        ("notes-app-dev", "eu-west-1", "https://notes-app-dev.auth.eu-west-1.amazoncognito.com"),
        ("notes-app-dev", "us-gov-west-1", "https://notes-app-dev.auth-fips.us-gov-west-1.amazoncognito.com"),
        # Not confirmed for China: assumed to follow the commercial form.
        ("notes-app-dev", "cn-north-1", "https://notes-app-dev.auth.cn-north-1.amazoncognito.com"),
        ("auth.example.com", "us-east-1", "https://auth.example.com"),
        ("auth.example.com", "cn-north-1", "https://auth.example.com"),
    ],
)
def test_domain_base_url_for_prefix_and_custom_domains(domain: str, region: str, base_url: str) -> None:
    assert domain_base_url(domain, region) == base_url


@pytest.mark.parametrize(
    ("region", "issuer"),
    [
        ("us-east-1", f"https://cognito-idp.us-east-1.amazonaws.com/{POOL}"),
        ("cn-north-1", f"https://cognito-idp.cn-north-1.amazonaws.com.cn/{POOL}"),
        ("us-gov-west-1", f"https://cognito-idp.us-gov-west-1.amazonaws.com/{POOL}"),
    ],
)
def test_issuer_host_follows_the_partition(region: str, issuer: str) -> None:
    assert issuer_url(POOL, region) == issuer


@pytest.mark.parametrize(
    ("domain", "region", "host"),
    [
        ("notes-app-dev", "us-east-1", "notes-app-dev.auth.us-east-1.amazoncognito.com"),
        ("notes-app-dev", "us-gov-west-1", "notes-app-dev.auth-fips.us-gov-west-1.amazoncognito.com"),
        ("auth.example.com", "us-east-1", "auth.example.com"),
        ("auth.example.com", "cn-north-1", "auth.example.com"),
    ],
)
def test_federation_urls_for_prefix_and_custom_domains(domain: str, region: str, host: str) -> None:
    urls = federation_urls(domain, POOL, region)

    issuer = issuer_url(POOL, region)
    assert urls == {
        "Issuer": issuer,
        "DiscoveryUrl": f"{issuer}/.well-known/openid-configuration",
        "JwksUrl": f"{issuer}/.well-known/jwks.json",
        "IdpRedirectUri": f"https://{host}/oauth2/idpresponse",
        "SamlEntityId": f"urn:amazon:cognito:sp:{POOL}",
        "SamlAcsUrl": f"https://{host}/saml2/idpresponse",
        "PasskeyRelyingPartyId": host,
    }


def test_discovery_and_keys_live_on_the_issuer_not_on_the_domain() -> None:
    urls = federation_urls("auth.example.com", POOL, "eu-west-1")

    assert urls["JwksUrl"] == f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL}/.well-known/jwks.json"
    assert "auth.example.com" not in urls["DiscoveryUrl"]


def test_endpoint_urls_are_kept() -> None:
    base = "https://auth.example.com"

    assert endpoint_urls(base) == {
        "BaseUrl": base,
        "AuthorizeUrl": f"{base}/oauth2/authorize",
        "TokenUrl": f"{base}/oauth2/token",
        "UserInfoUrl": f"{base}/oauth2/userInfo",
        "RevokeUrl": f"{base}/oauth2/revoke",
        "LogoutUrl": f"{base}/logout",
    }


@pytest.mark.parametrize(
    ("client_id", "logout_uri", "url"),
    [
        (
            "1example23456789",
            "http://localhost:3000/",
            "https://auth.example.com/logout?client_id=1example23456789&logout_uri=http%3A%2F%2Flocalhost%3A3000%2F",
        ),
        (
            "1example23456789",
            "https://app.example.com/signed-out?from=auth&lang=de",
            "https://auth.example.com/logout?client_id=1example23456789"
            "&logout_uri=https%3A%2F%2Fapp.example.com%2Fsigned-out%3Ffrom%3Dauth%26lang%3Dde",
        ),
        (
            "1example23456789",
            "myapp://signed out",
            "https://auth.example.com/logout?client_id=1example23456789&logout_uri=myapp%3A%2F%2Fsigned%20out",
        ),
    ],
)
def test_client_logout_url_encodes_every_query_value(client_id: str, logout_uri: str, url: str) -> None:
    assert client_logout_url("https://auth.example.com", client_id, logout_uri) == url


def test_longest_possible_attributes_leave_room_in_cloudformations_4096_byte_answer() -> None:
    """A 63-character custom domain and a 55-character pool id: the URL attributes stay well under the limit."""
    domain = f"{'a' * 50}.example.com"
    pool = f"ap-southeast-5_{'A' * 40}"
    urls = {
        **endpoint_urls(domain_base_url(domain, "ap-southeast-5")),
        **federation_urls(domain, pool, "ap-southeast-5"),
    }

    # The rest of the answer (ids, status, the other attributes) takes about 1 KB.
    assert len(json.dumps(urls).encode()) < 2500
