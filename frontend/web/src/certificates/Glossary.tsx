/** Plain-language explanations of the verification jargon, one sentence each. */
import type { ReactNode } from 'react';
import { Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';

export type GlossaryTerm = '存证日志' | '签名树头' | '根哈希' | '离线证明包' | 'VC';

export const GLOSSARY: Readonly<Record<GlossaryTerm, string>> = {
  存证日志: '存证日志是一份只能追加、不能修改的公开记录，每张证书的签发和撤销都记在其中，任何人都可以核对。',
  签名树头: '签名树头是存证日志在某一时刻的“总指纹”（记录条数和根哈希），由平台签名，日志事后被改写就会对不上。',
  根哈希: '根哈希是由存证日志全部记录算出的一串校验码，任何一条记录被改动，它都会随之改变。',
  离线证明包: '离线证明包是一个 JSON 文件，装有证书、签发机关签名和存证证明，不联网也能用公开密钥核验。',
  VC: '可验证凭证（VC）是符合 W3C 标准的电子证书格式，可导入支持该标准的数字钱包或核验工具。',
};

/** A label with a "?" that explains the term on hover, focus or tap. */
export function Term({ term, children, iconOnly = false }: { term: GlossaryTerm; children?: ReactNode; iconOnly?: boolean }) {
  return (
    <span className="glossary-term">
      {iconOnly ? null : (children ?? term)}
      <Tooltip title={GLOSSARY[term]}>
        <QuestionCircleOutlined
          role="img"
          tabIndex={0}
          aria-label={`术语说明：${term}`}
          style={{ marginLeft: 4, color: 'rgba(0,0,0,0.45)', cursor: 'help' }}
        />
      </Tooltip>
    </span>
  );
}

/** The terms as a short help text (public pages: visible without hovering). */
export function GlossaryHelp({ terms }: { terms: readonly GlossaryTerm[] }) {
  return (
    <div className="glossary-help" aria-label="术语说明" role="note">
      <Typography.Text strong>术语说明</Typography.Text>
      <ul>
        {terms.map((term) => (
          <li key={term}>
            <Typography.Text type="secondary">{GLOSSARY[term]}</Typography.Text>
          </li>
        ))}
      </ul>
    </div>
  );
}
