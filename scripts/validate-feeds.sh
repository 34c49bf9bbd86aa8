#!/usr/bin/env bash
# Validates the machine outputs of the example archive (feeds, sitemap,
# robots.txt, JSON-LD, entities.json, claims.json) with tools nobody here
# wrote, built twice: at the host root and under a sub-path base URL.
#
#   scripts/validate-feeds.sh            build with .build/debug/gloss, then check
#   GLOSS=path/to/gloss scripts/validate-feeds.sh
#
# - xmllint --schema: sitemap.xml (or the index and its parts) against the
#   sitemaps.org 0.9 XML Schema. The official file is fetched when the
#   network allows; otherwise the schema below, written from the protocol
#   (urlset/url: loc 12–2048 chars anyURI, lastmod date or dateTime,
#   changefreq, priority 0.0–1.0; sitemapindex/sitemap: loc, lastmod) is used.
# - xmllint --relaxng: every feed.xml against a RELAX NG grammar written from
#   RFC 4287 (section 4) for the constructs Gloss emits.
# - scripts/validate_feeds.py: feedparser, extruct and pyld, and the RFC
#   rules no schema can express.
# Installs xmllint (apt) and the Python packages (pip, in .build/feeds-venv)
# when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v xmllint >/dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libxml2-utils
fi
# The Python tools live in a virtual environment of their own (Debian's
# python3 refuses system-wide pip installs).
VENV=$PWD/.build/feeds-venv
if ! "$VENV/bin/python" -c "import feedparser, extruct, pyld" 2>/dev/null; then
  rm -rf "$VENV"
  if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
    rm -rf "$VENV"
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check feedparser==6.0.14 extruct==0.18.0 pyld==3.3.0
fi

GLOSS=${GLOSS:-}
if [ -z "$GLOSS" ]; then
  swift build --product gloss >/dev/null
  GLOSS=$(swift build --show-bin-path)/gloss
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- schemas -----------------------------------------------------------------
if ! curl -fsS --max-time 10 -o "$WORK/sitemap.xsd" https://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd 2>/dev/null \
   || ! curl -fsS --max-time 10 -o "$WORK/siteindex.xsd" https://www.sitemaps.org/schemas/sitemap/0.9/siteindex.xsd 2>/dev/null; then
  echo "sitemaps.org unreachable: using the schema written from the protocol"
  cat >"$WORK/common.xsd" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
           targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9" elementFormDefault="qualified">
  <xs:simpleType name="location">
    <xs:restriction base="xs:anyURI"><xs:minLength value="12"/><xs:maxLength value="2048"/></xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="w3cDatetime">
    <xs:union memberTypes="xs:date xs:dateTime"/>
  </xs:simpleType>
  <xs:simpleType name="frequency">
    <xs:restriction base="xs:string">
      <xs:enumeration value="always"/><xs:enumeration value="hourly"/><xs:enumeration value="daily"/>
      <xs:enumeration value="weekly"/><xs:enumeration value="monthly"/><xs:enumeration value="yearly"/>
      <xs:enumeration value="never"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="weight">
    <xs:restriction base="xs:decimal"><xs:minInclusive value="0.0"/><xs:maxInclusive value="1.0"/></xs:restriction>
  </xs:simpleType>
</xs:schema>
EOF
  cat >"$WORK/sitemap.xsd" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
           targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9" elementFormDefault="qualified">
  <xs:include schemaLocation="common.xsd"/>
  <xs:element name="urlset">
    <xs:complexType>
      <xs:sequence>
        <xs:any namespace="##other" processContents="strict" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element name="url" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="loc" type="location"/>
              <xs:element name="lastmod" type="w3cDatetime" minOccurs="0"/>
              <xs:element name="changefreq" type="frequency" minOccurs="0"/>
              <xs:element name="priority" type="weight" minOccurs="0"/>
              <xs:any namespace="##other" processContents="strict" minOccurs="0" maxOccurs="unbounded"/>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
EOF
  cat >"$WORK/siteindex.xsd" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
           targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9" elementFormDefault="qualified">
  <xs:include schemaLocation="common.xsd"/>
  <xs:element name="sitemapindex">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="sitemap" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="loc" type="location"/>
              <xs:element name="lastmod" type="w3cDatetime" minOccurs="0"/>
              <xs:any namespace="##other" processContents="strict" minOccurs="0" maxOccurs="unbounded"/>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
        <xs:any namespace="##other" processContents="strict" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
EOF
fi

# RFC 4287, section 4, for what Gloss writes: text constructs of type text
# or html, person constructs, RFC 3339 dates, links, categories, generator;
# children in any order; no foreign markup.
cat >"$WORK/atom.rng" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.w3.org/2005/Atom"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="feed"/></start>
  <define name="xmlAttributes">
    <optional><attribute><name ns="http://www.w3.org/XML/1998/namespace">base</name><data type="anyURI"/></attribute></optional>
    <optional><attribute><name ns="http://www.w3.org/XML/1998/namespace">lang</name><data type="language"/></attribute></optional>
  </define>
  <define name="text">
    <ref name="xmlAttributes"/>
    <optional><attribute name="type"><choice><value>text</value><value>html</value></choice></attribute></optional>
    <text/>
  </define>
  <define name="person">
    <ref name="xmlAttributes"/>
    <interleave>
      <element name="name"><text/></element>
      <optional><element name="uri"><data type="anyURI"/></element></optional>
      <optional><element name="email"><data type="string"><param name="pattern">.+@.+</param></data></element></optional>
    </interleave>
  </define>
  <define name="date">
    <ref name="xmlAttributes"/>
    <data type="dateTime">
      <param name="pattern">\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+\-]\d{2}:\d{2})</param>
    </data>
  </define>
  <define name="id">
    <element name="id"><ref name="xmlAttributes"/><data type="anyURI"/></element>
  </define>
  <define name="link">
    <element name="link">
      <ref name="xmlAttributes"/>
      <attribute name="href"><data type="anyURI"/></attribute>
      <optional><attribute name="rel"><text/></attribute></optional>
      <optional><attribute name="type"><data type="string"><param name="pattern">.+/.+</param></data></attribute></optional>
      <optional><attribute name="hreflang"><data type="language"/></attribute></optional>
      <optional><attribute name="title"><text/></attribute></optional>
      <optional><attribute name="length"><data type="nonNegativeInteger"/></attribute></optional>
      <empty/>
    </element>
  </define>
  <define name="category">
    <element name="category">
      <ref name="xmlAttributes"/>
      <attribute name="term"><text/></attribute>
      <optional><attribute name="scheme"><data type="anyURI"/></attribute></optional>
      <optional><attribute name="label"><text/></attribute></optional>
      <empty/>
    </element>
  </define>
  <define name="feed">
    <element name="feed">
      <ref name="xmlAttributes"/>
      <interleave>
        <zeroOrMore><element name="author"><ref name="person"/></element></zeroOrMore>
        <zeroOrMore><ref name="category"/></zeroOrMore>
        <zeroOrMore><element name="contributor"><ref name="person"/></element></zeroOrMore>
        <optional>
          <element name="generator">
            <ref name="xmlAttributes"/>
            <optional><attribute name="uri"><data type="anyURI"/></attribute></optional>
            <optional><attribute name="version"><text/></attribute></optional>
            <text/>
          </element>
        </optional>
        <ref name="id"/>
        <zeroOrMore><ref name="link"/></zeroOrMore>
        <optional><element name="rights"><ref name="text"/></element></optional>
        <optional><element name="subtitle"><ref name="text"/></element></optional>
        <element name="title"><ref name="text"/></element>
        <element name="updated"><ref name="date"/></element>
        <zeroOrMore><ref name="entry"/></zeroOrMore>
      </interleave>
    </element>
  </define>
  <define name="entry">
    <element name="entry">
      <ref name="xmlAttributes"/>
      <interleave>
        <zeroOrMore><element name="author"><ref name="person"/></element></zeroOrMore>
        <zeroOrMore><ref name="category"/></zeroOrMore>
        <optional><element name="content"><ref name="text"/></element></optional>
        <zeroOrMore><element name="contributor"><ref name="person"/></element></zeroOrMore>
        <ref name="id"/>
        <zeroOrMore><ref name="link"/></zeroOrMore>
        <optional><element name="published"><ref name="date"/></element></optional>
        <optional><element name="rights"><ref name="text"/></element></optional>
        <optional><element name="summary"><ref name="text"/></element></optional>
        <element name="title"><ref name="text"/></element>
        <element name="updated"><ref name="date"/></element>
      </interleave>
    </element>
  </define>
</grammar>
EOF

# --- build and check ---------------------------------------------------------
status=0
for base in https://example.org/ https://example.org/watch/; do
  out="$WORK/site-$(echo "$base" | tr -c 'a-z0-9' '_')"
  "$GLOSS" build --base-url "$base" --output "$out" >/dev/null
  echo "== $base"
  if [ -f "$out/sitemap-1.xml" ]; then
    xmllint --noout --schema "$WORK/siteindex.xsd" "$out/sitemap.xml" || status=1
    for part in "$out"/sitemap-*.xml; do xmllint --noout --schema "$WORK/sitemap.xsd" "$part" || status=1; done
  else
    xmllint --noout --schema "$WORK/sitemap.xsd" "$out/sitemap.xml" 2>&1 | sed "s|$out/||" || status=1
  fi
  feeds=$(find "$out" -name feed.xml | sort)
  # xmllint prints "<file> validates" per file; keep the failures and a count.
  if ! xmllint --noout --relaxng "$WORK/atom.rng" $feeds >"$WORK/rng.log" 2>&1; then
    grep -v ' validates$' "$WORK/rng.log" | sed "s|$out/||"; status=1
  fi
  echo "atom.rng: $(grep -c ' validates$' "$WORK/rng.log") of $(echo "$feeds" | wc -l) feeds validate"
  "$VENV/bin/python" scripts/validate_feeds.py "$out" "$base" | sed "s|$out/||; s|$out|public|" || status=1
done
exit $status
