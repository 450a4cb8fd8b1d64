# Sourced by the scripts that start a throwaway portal (e2e.sh, lighthouse.sh, scale-out.sh):
# every database and file of the portal in the directory "$work", the site's files in
# "$site_root". The caller sets DATABASE_URL, addresses and ports.
export ONESTOP_SITE_ROOT=$site_root
export ONESTOP_REGISTERS_DATABASE="sqlite://$work/registers.db" ONESTOP_SECRET_KEY_FILE="$work/secret.key"
export ONESTOP_HOSPITALS_DATABASE="sqlite://$work/hospitals.db" ONESTOP_GAS_DATABASE="sqlite://$work/gas.db"
export ONESTOP_BUS_DATABASE="sqlite://$work/bus.db"
export ONESTOP_LIBRARY_DATABASE="sqlite://$work/library.db" ONESTOP_LIBRARY_INDEX_DIR="$work/library-index"
export ONESTOP_FILES_DIR="$work/files" ONESTOP_MAIL_DIR="$work/mail"
