/* SPDX-License-Identifier: GPL-2.0 */
/* af_xtcp.c: the socket family, its registration. */
#ifndef _XTCP_AF_XTCP_H
#define _XTCP_AF_XTCP_H

#include "xtcp.h"

int xtcp_af_init(void);
void xtcp_af_exit(void);
int xtcp_family_number(void);

#endif /* _XTCP_AF_XTCP_H */
