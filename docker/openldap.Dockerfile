# OpenLDAP from Debian (the same slapd as docker/run-by-hand.sh uses), with the demo organisation loaded
# at build time: suffix dc=portcullis,dc=demo, manager cn=admin,dc=portcullis,dc=demo / admin-demo.
# For the demo stack only: its passwords are public.
FROM debian:bookworm-slim
RUN echo "slapd slapd/no_configuration boolean false" | debconf-set-selections \
 && echo "slapd slapd/domain string portcullis.demo" | debconf-set-selections \
 && echo "slapd shared/organization string Portcullis demo" | debconf-set-selections \
 && echo "slapd slapd/password1 password admin-demo" | debconf-set-selections \
 && echo "slapd slapd/password2 password admin-demo" | debconf-set-selections \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slapd ldap-utils \
 && rm -rf /var/lib/apt/lists/*
COPY src/main/resources/demo/organisation.ldif /tmp/organisation.ldif
# the package made the base entry; the LDIF's own copy of it is left out, the rest added offline
RUN awk 'BEGIN{RS=""; ORS="\n\n"} !/^dn: dc=portcullis,dc=demo\n/' /tmp/organisation.ldif > /tmp/seed.ldif \
 && slapadd -b dc=portcullis,dc=demo -l /tmp/seed.ldif \
 && chown -R openldap:openldap /var/lib/ldap \
 && rm /tmp/organisation.ldif /tmp/seed.ldif
EXPOSE 389
HEALTHCHECK --interval=5s --timeout=5s --retries=20 \
  CMD ldapsearch -x -H ldap://127.0.0.1:389 -b dc=portcullis,dc=demo -s base dn || exit 1
CMD ["slapd", "-d", "0", "-h", "ldap:///", "-u", "openldap", "-g", "openldap", "-F", "/etc/ldap/slapd.d"]
